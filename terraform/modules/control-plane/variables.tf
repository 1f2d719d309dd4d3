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
  description = "Azure region of the control plane, e.g. \"westeurope\"; the same as the subnet's."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group for the replicas, their NICs, the load balancer and the identity (e.g. the network module's)."
}

variable "subnet_id" {
  type        = string
  description = "Subnet of the replicas' NICs and the load balancer's frontend (the network module's control_plane_subnet_id)."
}

variable "replica_count" {
  type        = number
  description = "How many control plane replicas run behind the load balancer; they need no coordination (same inputs, same versions)."
  default     = 2

  validation {
    condition     = var.replica_count >= 1 && var.replica_count <= 9 && floor(var.replica_count) == var.replica_count
    error_message = "replica_count must be a whole number between 1 and 9."
  }
}

variable "zones" {
  type        = list(string)
  description = "Availability zones the replicas are spread over, round-robin, and the load balancer's frontend spans; [] for a region without zones."
  default     = ["1", "2", "3"]

  validation {
    condition     = alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones must list only \"1\", \"2\" or \"3\", or be [] for a region without availability zones."
  }
}

variable "frontend_ip_address" {
  type        = string
  description = "Static private IP of the load balancer's frontend inside the subnet, so Envoys keep their bootstrap whatever happens to the replicas; null lets Azure pick one."
  default     = null

  validation {
    condition     = var.frontend_ip_address == null || can(cidrhost("${var.frontend_ip_address}/32", 0))
    error_message = "frontend_ip_address must be an IPv4 address such as \"10.40.2.10\", or null."
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
  description = "HTTPS URL the replicas download the meshctl jar from: a blob in meshctl_jar_storage_container_id, or any public URL."

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

variable "meshctl_jar_private" {
  type        = bool
  description = "true when meshctl_jar_url is a blob in meshctl_jar_storage_container_id, read with the replicas' managed identity; false downloads it without credentials. A boolean, so the plan knows it even before the container exists."
  default     = false
}

variable "meshctl_jar_storage_container_id" {
  type        = string
  description = "Resource ID of the private blob container holding the jar at meshctl_jar_url (with meshctl_jar_private = true): the replicas' identity gets Storage Blob Data Reader on this container only and downloads with a managed identity token."
  default     = null

  validation {
    condition     = var.meshctl_jar_storage_container_id == null || can(regex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft.Storage/storageAccounts/[a-z0-9]{3,24}/blobServices/default/containers/[a-z0-9-]{3,63}$", var.meshctl_jar_storage_container_id))
    error_message = "meshctl_jar_storage_container_id must be a container resource ID like \"/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<account>/blobServices/default/containers/<container>\", or null."
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
  description = "Azure VM size of each replica; a non-burstable size, so discovery never runs out of CPU credits."
  default     = "Standard_D2s_v5"
}

variable "admin_username" {
  type        = string
  description = "Login user (key only, no password); the replicas have no public IP, operators use run-command."
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
