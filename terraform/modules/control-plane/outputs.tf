output "frontend_ip" {
  description = "Private IP of the internal load balancer in front of the replicas: the xDS address Envoys bootstrap with."
  value       = azurerm_lb.control_plane.frontend_ip_configuration[0].private_ip_address
}

output "xds_port" {
  description = "Port of the xDS (gRPC) server, on the frontend and on every replica."
  value       = var.xds_port
}

output "status_url" {
  description = "Base URL of the status API through the load balancer (any ready replica; reachable from the control plane subnet or the admin CIDR, with status_token)."
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

output "xds_ca_certificate_pem" {
  description = "PEM of the private CA that signed the replicas' xDS certificate: what every Envoy verifies the control plane with (envoy-lb's xds_ca_certificate_pem)."
  value       = tls_self_signed_cert.ca.cert_pem
}

output "status_token" {
  description = "Bearer token of the status API (Authorization: Bearer <token>); every replica reads it from /etc/azmesh/status-token."
  value       = random_password.status_token.result
  sensitive   = true
}
