variable "subscription_id" {
  type        = string
  description = "Azure subscription to deploy into (and to discover backends in)."

  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.subscription_id))
    error_message = "subscription_id must be a subscription GUID such as \"00000000-0000-0000-0000-000000000000\"."
  }
}

variable "location" {
  type        = string
  description = "Azure region for everything, e.g. \"westeurope\"."
  default     = "westeurope"
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name."
  default     = "azmesh"
}

variable "ssh_public_key" {
  type        = string
  description = "OpenSSH public key for the admin user on every VM (no passwords are set)."
}

variable "admin_cidr" {
  type        = string
  description = "Your address as a CIDR (e.g. \"203.0.113.7/32\") to allow SSH and the status API from; null keeps both closed to the internet."
  default     = null
}

variable "meshctl_jar_url" {
  type        = string
  description = "HTTPS URL of the meshctl jar the control plane downloads."
}

variable "meshctl_jar_sha256" {
  type        = string
  description = "SHA-256 of that jar; the control plane refuses any other file."
}

variable "backend_count" {
  type        = number
  description = "How many demo backends to run; change it to watch azmesh follow scale-out and scale-in."
  default     = 2
}

variable "edge_count" {
  type        = number
  description = "How many Envoy edge VMs to run."
  default     = 1
}

variable "edge_listener_port" {
  type        = number
  description = "Port opened on the edge for the gateway listener; must match the mesh configuration's gateway port (10000 by default)."
  default     = 10000
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = { "managed-by" = "terraform", "project" = "azmesh" }
}
