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
  description = "Azure region of the backends, e.g. \"westeurope\"; the same as the subnet's."
}

variable "subnet_id" {
  type        = string
  description = "Subnet the backend NICs attach to (the network module's backends_subnet_id)."
}

variable "kind" {
  type        = string
  description = "\"scale_set\": a Flexible-orchestration scale set sized by a CPU autoscale setting (autoscale); \"vms\": instance_count fixed VMs."
  default     = "vms"

  validation {
    condition     = contains(["scale_set", "vms"], var.kind)
    error_message = "kind must be \"scale_set\" or \"vms\"."
  }
}

variable "autoscale" {
  type = object({
    minimum               = number
    maximum               = number
    default               = number
    scale_out_cpu_percent = number
    scale_in_cpu_percent  = number
  })
  description = "kind = \"scale_set\" only: instance bounds, the count to start with, and the average CPU above which one instance is added (5 minutes) and below which one is removed (10 minutes)."
  default = {
    minimum               = 2
    maximum               = 6
    default               = 2
    scale_out_cpu_percent = 70
    scale_in_cpu_percent  = 25
  }

  validation {
    condition     = var.autoscale.minimum >= 1 && var.autoscale.minimum <= var.autoscale.default && var.autoscale.default <= var.autoscale.maximum && var.autoscale.maximum <= 100
    error_message = "autoscale must satisfy 1 <= minimum <= default <= maximum <= 100."
  }

  validation {
    condition     = var.autoscale.scale_in_cpu_percent >= 0 && var.autoscale.scale_in_cpu_percent < var.autoscale.scale_out_cpu_percent && var.autoscale.scale_out_cpu_percent <= 100
    error_message = "autoscale must satisfy 0 <= scale_in_cpu_percent < scale_out_cpu_percent <= 100, so scaling in never undoes a scale-out at once."
  }
}

variable "zones" {
  type        = list(string)
  description = "kind = \"scale_set\" only: availability zones the instances are balanced over; [] for a region without zones."
  default     = ["1", "2", "3"]

  validation {
    condition     = alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones must list only \"1\", \"2\" or \"3\", or be [] for a region without availability zones."
  }
}

variable "instance_count" {
  type        = number
  description = "kind = \"vms\" only: how many backend VMs to run."
  default     = 2

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 100 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number between 1 and 100."
  }
}

variable "vm_size" {
  type        = string
  description = "Azure VM size of each backend (VM or scale set instance)."
  default     = "Standard_D2s_v5"
}

variable "service_name" {
  type        = string
  description = "Mesh service the backends join (their mesh-service tag)."
  default     = "demo"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.service_name))
    error_message = "service_name must be 1-63 lowercase letters, digits or hyphens and start with a letter, e.g. \"demo\"."
  }
}

variable "service_port" {
  type        = number
  description = "Port the demo HTTP service listens on (the mesh-port tag)."
  default     = 8080

  validation {
    condition     = var.service_port >= 1024 && var.service_port <= 65535 && floor(var.service_port) == var.service_port
    error_message = "service_port must be a whole number between 1024 and 65535 (the demo service runs unprivileged)."
  }
}

variable "service_weight" {
  type        = number
  description = "Load-balancing weight of each backend (the mesh-weight tag)."
  default     = 1

  validation {
    condition     = var.service_weight >= 1 && var.service_weight <= 128 && floor(var.service_weight) == var.service_weight
    error_message = "service_weight must be a whole number between 1 and 128."
  }
}

variable "health_path" {
  type        = string
  description = "HTTP path the service answers health checks on, tagged mesh-health-path; set it only when the mesh config has a health check for the service with the same path. null tags nothing."
  default     = null

  validation {
    condition     = var.health_path == null || can(regex("^/[A-Za-z0-9._~/-]*$", var.health_path))
    error_message = "health_path must start with / and hold only letters, digits and . _ ~ / -, or be null."
  }
}

variable "termination_notification_timeout" {
  type        = string
  description = "How long Azure holds a scale set instance that is being deleted (ISO 8601, PT5M to PT15M): longer than the control plane's refresh plus drain period, so the instance is drained before it goes."
  default     = "PT5M"

  validation {
    condition     = can(regex("^PT([5-9]|1[0-5])M$", var.termination_notification_timeout))
    error_message = "termination_notification_timeout must be whole minutes from PT5M to PT15M."
  }
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
  description = "Tags added to every resource; the mesh-* discovery tags are added on top."
  default     = {}
}
