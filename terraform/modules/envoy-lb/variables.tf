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
  description = "Azure region of the edge VMs, e.g. \"westeurope\"; the same as the subnet's."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group for the edge VMs, their NICs and public IPs."
}

variable "subnet_id" {
  type        = string
  description = "Subnet the edge NICs attach to (the network module's edge_subnet_id)."
}

variable "instance_count" {
  type        = number
  description = "How many Envoy VMs to run, each with its own public IP."
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 20 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number between 1 and 20."
  }
}

variable "xds_host" {
  type        = string
  description = "Private IPv4 address of the control plane's load balancer (the control-plane module's frontend_ip)."

  validation {
    condition     = can(cidrhost("${var.xds_host}/32", 0))
    error_message = "xds_host must be an IPv4 address such as \"10.40.2.10\" (the bootstrap uses a STATIC cluster)."
  }
}

variable "xds_port" {
  type        = number
  description = "Port of the control plane's xDS (gRPC) server."
  default     = 18000

  validation {
    condition     = var.xds_port >= 1 && var.xds_port <= 65535 && floor(var.xds_port) == var.xds_port
    error_message = "xds_port must be a whole number between 1 and 65535."
  }
}

variable "xds_ca_certificate_pem" {
  type        = string
  description = "PEM of the CA that signed the control plane's xDS certificate (the control-plane module's xds_ca_certificate_pem): Envoy connects over TLS and trusts nothing else."

  validation {
    condition     = can(regex("-----BEGIN CERTIFICATE-----", var.xds_ca_certificate_pem))
    error_message = "xds_ca_certificate_pem must be a PEM certificate (-----BEGIN CERTIFICATE-----)."
  }
}

variable "envoy_package" {
  type        = string
  description = "The apt.envoyproxy.io package installed on every edge: one Envoy minor release (envoy-<major>.<minor>), so a new edge runs what the others run; move it deliberately."
  default     = "envoy-1.38"

  validation {
    condition     = can(regex("^envoy-[0-9]+\\.[0-9]+$", var.envoy_package))
    error_message = "envoy_package must name one minor release, e.g. \"envoy-1.38\"."
  }
}

variable "envoy_signing_key_fingerprint" {
  type        = string
  description = "Fingerprint of apt.envoyproxy.io's signing key (40 hex digits): the install refuses any other key."
  default     = "0AFCE836BA4D1D35763C8523D8CDC3750181F31F"

  validation {
    condition     = can(regex("^[0-9A-F]{40}$", var.envoy_signing_key_fingerprint))
    error_message = "envoy_signing_key_fingerprint must be 40 uppercase hex digits, as gpg --with-colons prints it."
  }
}

variable "zones" {
  type        = list(string)
  description = "Availability zones the edge VMs are spread over, round-robin; [] for a region without zones."
  default     = ["1", "2", "3"]

  validation {
    condition     = alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones must list only \"1\", \"2\" or \"3\", or be [] for a region without availability zones."
  }
}

variable "xds_api" {
  type        = string
  description = "ADS variant Envoy speaks: \"delta\" sends only what changed and resumes a failover without re-sending what Envoy holds; \"sotw\" re-sends whole sets."
  default     = "delta"

  validation {
    condition     = contains(["delta", "sotw"], var.xds_api)
    error_message = "xds_api must be \"delta\" or \"sotw\"."
  }
}

variable "max_heap_mib" {
  type        = number
  description = "Heap Envoy may use (overload manager): it shrinks its heap at 95 % and stops accepting requests at 98 %; keep it well below the VM's memory."
  default     = 1024

  validation {
    condition     = var.max_heap_mib >= 64 && floor(var.max_heap_mib) == var.max_heap_mib
    error_message = "max_heap_mib must be a whole number of at least 64."
  }
}

variable "max_downstream_connections" {
  type        = number
  description = "Connections Envoy accepts at once over all listeners (overload manager); below the unit's LimitNOFILE of 65536."
  default     = 25000

  validation {
    condition     = var.max_downstream_connections >= 1 && var.max_downstream_connections <= 60000 && floor(var.max_downstream_connections) == var.max_downstream_connections
    error_message = "max_downstream_connections must be a whole number between 1 and 60000."
  }
}

variable "node_cluster" {
  type        = string
  description = "Envoy node cluster shared by all edge VMs; each VM's node id is \"<name_prefix>-edge-<index>\"."
  default     = "azmesh-edge"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", var.node_cluster))
    error_message = "node_cluster must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit."
  }
}

variable "admin_port" {
  type        = number
  description = "Envoy admin port, bound to 127.0.0.1 only (reach it over SSH)."
  default     = 9901

  validation {
    condition     = var.admin_port >= 1 && var.admin_port <= 65535 && floor(var.admin_port) == var.admin_port
    error_message = "admin_port must be a whole number between 1 and 65535."
  }
}

variable "vm_size" {
  type        = string
  description = "Azure VM size of each edge VM; non-burstable, so a busy edge is never held at a CPU baseline."
  default     = "Standard_D2s_v5"
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
