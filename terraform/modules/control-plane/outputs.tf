output "frontend_ip" {
  description = "Private IP of the internal load balancer in front of the replicas: the xDS address Envoys bootstrap with."
  value       = azurerm_lb.control_plane.frontend_ip_configuration[0].private_ip_address
}

output "xds_port" {
  description = "Port of the xDS (gRPC) server, on the frontend and on every replica."
  value       = var.xds_port
}

output "status_url" {
  description = "Base URL of the status API through the load balancer (any ready replica; reachable from inside the VNet or the admin CIDR)."
  value       = "http://${azurerm_lb.control_plane.frontend_ip_configuration[0].private_ip_address}:${var.status_port}"
}

output "replica_status_urls" {
  description = "Base URL of each replica's own status API, in replica_names order: /api/nodes lists the Envoys connected to that replica."
  value       = [for nic in azurerm_network_interface.replica : "http://${nic.private_ip_address}:${var.status_port}"]
}

output "replica_names" {
  description = "Names of the control plane VMs."
  value       = azurerm_linux_virtual_machine.replica[*].name
}

output "replica_zones" {
  description = "Availability zone of each replica, in replica_names order (null without zones)."
  value       = local.replica_zones
}

output "principal_id" {
  description = "Object ID of the replicas' user-assigned managed identity: the principal of every role this module grants."
  value       = azurerm_user_assigned_identity.control_plane.principal_id
}
