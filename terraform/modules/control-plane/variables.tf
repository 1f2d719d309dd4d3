variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name, e.g. \"azmesh\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-20 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, e.g. \"azmesh\"."
  }
}

variable "location" {
  type        = string
  description = "Azure region of the control plane VM, e.g. \"westeurope\"; the same as the subnet's."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group for the control plane VM and its NIC (e.g. the network module's)."
}

variable "subnet_id" {
  type        = string
  description = "Subnet the control plane NIC attaches to (the network module's control_plane_subnet_id)."
}

variable "private_ip_address" {
  type        = string
  description = "Static private IP inside the subnet, so Envoys keep their bootstrap when the VM is replaced; null lets Azure pick one."
  default     = null

  validation {
    condition     = var.private_ip_address == null || can(cidrhost("${var.private_ip_address}/32", 0))
    error_message = "private_ip_address must be an IPv4 address such as \"10.40.2.10\", or null."
  }
}

variable "discovery_resource_group_id" {
  type        = string
  description = "ID of the resource group whose VMs the control plane discovers: meshctl lists in this group only (--resource-group), so its managed identity gets Reader on this group and nowhere else."

  validation {
    condition     = can(regex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+$", var.discovery_resource_group_id))
    error_message = "discovery_resource_group_id must be a resource group ID like \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/azmesh-backends\"."
  }
}

variable "discovery_tags" {
  type        = list(string)
  description = "Tag filters for discovery, each \"key\" or \"key=value\" (meshctl --tag)."
  default     = ["mesh-service"]

  validation {
    condition     = length(var.discovery_tags) > 0 && alltrue([for t in var.discovery_tags : can(regex("^[A-Za-z0-9._-]+(=[A-Za-z0-9._/-]+)?$", t))])
    error_message = "discovery_tags must list at least one \"key\" or \"key=value\" made of letters, digits, '.', '_', '-' (and '/' in values)."
  }
}

variable "meshctl_jar_url" {
  type        = string
  description = "HTTPS URL the VM downloads the meshctl jar from."

  validation {
    condition     = can(regex("^https://[^\\s']+$", var.meshctl_jar_url))
    error_message = "meshctl_jar_url must be an https:// URL without spaces or quotes."
  }
}

variable "meshctl_jar_sha256" {
  type        = string
  description = "SHA-256 of the meshctl jar (64 lowercase hex digits); the VM refuses a download that does not match."

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.meshctl_jar_sha256))
    error_message = "meshctl_jar_sha256 must be 64 lowercase hex digits, e.g. the output of `sha256sum meshctl.jar`."
  }
}

variable "mesh_config" {
  type        = string
  description = "meshctl config file written to /etc/azmesh/mesh.yaml and passed as --config: the mesh configuration (docs/configuration.md), optionally with a meshctl: section of options (docs/cli.md); null runs with the built-in defaults."
  default     = null
}

variable "xds_port" {
  type        = number
  description = "Port the xDS (gRPC) server listens on."
  default     = 18000

  validation {
    condition     = var.xds_port >= 1024 && var.xds_port <= 65535 && floor(var.xds_port) == var.xds_port
    error_message = "xds_port must be a whole number between 1024 and 65535 (meshctl runs unprivileged)."
  }
}

variable "status_port" {
  type        = number
  description = "Port the status API listens on."
  default     = 8080

  validation {
    condition     = var.status_port >= 1024 && var.status_port <= 65535 && floor(var.status_port) == var.status_port
    error_message = "status_port must be a whole number between 1024 and 65535 (meshctl runs unprivileged)."
  }
}

variable "vm_size" {
  type        = string
  description = "Azure VM size of the control plane."
  default     = "Standard_B2s"
}

variable "admin_username" {
  type        = string
  description = "Login user for SSH (key only, no password)."
  default     = "azmesh"
}

variable "ssh_public_key" {
  type        = string
  description = "OpenSSH public key allowed to log in as admin_username."

  validation {
    condition     = can(regex("^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/=]+", var.ssh_public_key))
    error_message = "ssh_public_key must be an OpenSSH public key starting with \"ssh-rsa \" or \"ssh-ed25519 \"."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
