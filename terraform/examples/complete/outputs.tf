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
  description = "Status API of the control plane; reachable only from inside the VNet or from admin_cidr."
  value       = "${module.control_plane.status_url}/api/vms"
}

output "control_plane_private_ip" {
  description = "Private IP of the control plane (the xDS address in every Envoy bootstrap)."
  value       = module.control_plane.private_ip
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
