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

variable "meshctl_jar_path" {
  type        = string
  description = "The meshctl jar to upload to the private storage container, relative to this directory or absolute; built by ./mvnw -B package -DskipTests."
  default     = "../../../cli/target/meshctl.jar"
}

variable "meshctl_jar_url" {
  type        = string
  description = "Instead of uploading meshctl_jar_path: an https:// URL of a published jar, downloaded without credentials; null uploads the local build."
  default     = null
}

variable "meshctl_jar_sha256" {
  type        = string
  description = "SHA-256 of the jar at meshctl_jar_url (only with it); the control plane refuses any other file. An uploaded jar's is computed (filesha256)."
  default     = null

  validation {
    condition     = var.meshctl_jar_sha256 == null || can(regex("^[0-9a-f]{64}$", var.meshctl_jar_sha256))
    error_message = "meshctl_jar_sha256 must be 64 lowercase hex digits (sha256sum meshctl.jar), or null."
  }
}

variable "control_plane_replicas" {
  type        = number
  description = "Control plane replicas behind the internal load balancer."
  default     = 2
}

variable "zones" {
  type        = list(string)
  description = "Availability zones for the control plane replicas, its load balancer and the backends' scale set; null takes the region's own (none where it has none)."
  default     = null
}

variable "backend_autoscale" {
  type = object({
    minimum               = number
    maximum               = number
    default               = number
    scale_out_cpu_percent = number
    scale_in_cpu_percent  = number
  })
  description = "The demo backends' scale set: instance bounds, start count and CPU thresholds of its autoscale setting."
  default = {
    minimum               = 2
    maximum               = 6
    default               = 2
    scale_out_cpu_percent = 70
    scale_in_cpu_percent  = 25
  }
}

variable "xds_api" {
  type        = string
  description = "ADS variant of the Envoys: \"delta\" (recommended) or \"sotw\"."
  default     = "delta"
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
