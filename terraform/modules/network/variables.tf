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
  description = "Azure region of the network, e.g. \"westeurope\"."

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name such as \"westeurope\" (lowercase, no spaces)."
  }
}

variable "existing_resource_group_name" {
  type        = string
  description = "Put the network into this existing resource group instead of creating \"<name_prefix>-network\"."
  default     = null
}

variable "address_space" {
  type        = string
  description = "Address space of the virtual network (CIDR)."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.address_space, 0))
    error_message = "address_space must be a CIDR block such as \"10.40.0.0/16\"."
  }
}

variable "subnet_cidrs" {
  type = object({
    backends      = string
    control_plane = string
    edge          = string
  })
  description = "CIDR of each subnet; all three must lie inside address_space and not overlap."
  default = {
    backends      = "10.40.1.0/24"
    control_plane = "10.40.2.0/24"
    edge          = "10.40.3.0/24"
  }

  validation {
    condition     = alltrue([for cidr in values(var.subnet_cidrs) : can(cidrhost(cidr, 0))])
    error_message = "Every entry of subnet_cidrs must be a CIDR block such as \"10.40.1.0/24\"."
  }
}

variable "zones" {
  type        = list(string)
  description = "Availability zones the NAT gateway and its public IP span (StandardV2); [] for a region without zones."
  default     = ["1", "2", "3"]

  validation {
    condition     = alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones must list only \"1\", \"2\" or \"3\", or be [] for a region without availability zones."
  }
}

variable "nat_gateway_sku" {
  type        = string
  description = "SKU of the NAT gateway and its public IP: \"StandardV2\" is zone-redundant; \"Standard\" only where StandardV2 is not offered, and then a zone outage can cut all egress."
  default     = "StandardV2"

  validation {
    condition     = contains(["StandardV2", "Standard"], var.nat_gateway_sku)
    error_message = "nat_gateway_sku must be \"StandardV2\" or \"Standard\"."
  }
}

variable "admin_cidr" {
  type        = string
  description = "CIDR allowed to reach SSH on the edge VMs and the control plane's status API (with its token); null keeps both closed. Private VMs are reached with run-command (docs/operations.md)."
  default     = null

  validation {
    condition     = var.admin_cidr == null || can(cidrhost(var.admin_cidr, 0))
    error_message = "admin_cidr must be a CIDR block such as \"203.0.113.7/32\", or null."
  }
}

variable "xds_port" {
  type        = number
  description = "Control plane xDS (gRPC) port; reachable only from the edge subnet."
  default     = 18000

  validation {
    condition     = var.xds_port >= 1 && var.xds_port <= 65535 && floor(var.xds_port) == var.xds_port
    error_message = "xds_port must be a whole number between 1 and 65535."
  }
}

variable "status_port" {
  type        = number
  description = "Control plane status API port; reachable from the control plane subnet, Azure's load balancer probe and admin_cidr."
  default     = 8080

  validation {
    condition     = var.status_port >= 1 && var.status_port <= 65535 && floor(var.status_port) == var.status_port
    error_message = "status_port must be a whole number between 1 and 65535."
  }
}

variable "backend_ports" {
  type        = list(number)
  description = "Ports the backends serve on (their mesh-port tags); reachable from inside the VNet only."
  default     = [8080]

  validation {
    condition     = length(var.backend_ports) > 0 && alltrue([for p in var.backend_ports : p >= 1 && p <= 65535 && floor(p) == p])
    error_message = "backend_ports must list at least one whole number between 1 and 65535."
  }
}

variable "edge_listener_port" {
  type        = number
  description = "Port of the Envoy gateway listener that clients reach on the edge VMs' public IPs."
  default     = 10000

  validation {
    condition     = var.edge_listener_port >= 1 && var.edge_listener_port <= 65535 && floor(var.edge_listener_port) == var.edge_listener_port
    error_message = "edge_listener_port must be a whole number between 1 and 65535."
  }
}

variable "edge_client_cidrs" {
  type        = list(string)
  description = "Source CIDRs allowed to reach the edge listener; [\"0.0.0.0/0\"] serves the internet."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.edge_client_cidrs) > 0 && alltrue([for cidr in var.edge_client_cidrs : can(cidrhost(cidr, 0))])
    error_message = "edge_client_cidrs must list at least one CIDR block such as \"0.0.0.0/0\"."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
