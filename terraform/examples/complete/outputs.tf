output "envoy_public_ip" {
  description = "Public IP of the first Envoy edge VM."
  value       = module.edge.public_ips[0]
}

output "envoy_public_ips" {
  description = "Public IPs of all Envoy edge VMs."
  value       = module.edge.public_ips
}

output "envoy_url" {
  description = "The demo service through the first edge VM (the default gateway routes /<service>/ to each service)."
  value       = "http://${module.edge.public_ips[0]}:${var.edge_listener_port}/${local.demo_service}/"
}

output "status_url" {
  description = "Status API through the control plane's load balancer (any ready replica); reachable from the control plane subnet or admin_cidr, with status_token. From anywhere else: run-command (docs/operations.md)."
  value       = "${module.control_plane.status_url}/api/vms"
}

output "control_plane_frontend_ip" {
  description = "Private IP of the control plane's internal load balancer (the xDS address in every Envoy bootstrap)."
  value       = module.control_plane.frontend_ip
}

output "control_plane_replica_status_urls" {
  description = "Each control plane replica's own status API (control plane subnet or admin CIDR, with status_token): /api/nodes shows the Envoys on that replica."
  value       = module.control_plane.replica_status_urls
}

output "backends_scale_set" {
  description = "Name of the demo backends' scale set, for az vmss scale."
  value       = module.backends.scale_set_name
}

output "backends_autoscale_setting" {
  description = "Name of the scale set's autoscale setting, for az monitor autoscale update."
  value       = module.backends.autoscale_setting_name
}

output "meshctl_jar_sha256" {
  description = "SHA-256 of the jar the control plane runs (checked on every replica before it starts)."
  value       = local.jar_sha256
}

output "backends_resource_group" {
  description = "Resource group holding the backends (the only scope the control plane can read)."
  value       = module.backends.resource_group_name
}

output "edge_node_ids" {
  description = "Envoy node ids, as listed by the status API's /api/nodes."
  value       = module.edge.node_ids
}

output "egress_ip" {
  description = "Public IP of all outbound traffic (the NAT gateway), e.g. to allow the jar download."
  value       = module.network.egress_ip
}

output "status_token" {
  description = "Bearer token of the status API (terraform output -raw status_token); also /etc/azmesh/status-token on every replica."
  value       = module.control_plane.status_token
  sensitive   = true
}

output "network_resource_group" {
  description = "Resource group of the network, the control plane and the edges: az vm run-command's --resource-group for a replica or an edge."
  value       = module.network.resource_group_name
}

output "control_plane_replica_names" {
  description = "Control plane VM names, in upgrade order: az vm run-command's --name, and the index of terraform apply -replace."
  value       = module.control_plane.replica_names
}
