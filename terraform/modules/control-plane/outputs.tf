output "private_ip" {
  description = "Private IP of the control plane: the xDS address Envoys bootstrap with."
  value       = azurerm_network_interface.control_plane.private_ip_address
}

output "xds_port" {
  description = "Port of the xDS (gRPC) server."
  value       = var.xds_port
}

output "status_url" {
  description = "Base URL of the status API (reachable from inside the VNet or the admin CIDR)."
  value       = "http://${azurerm_network_interface.control_plane.private_ip_address}:${var.status_port}"
}

output "principal_id" {
  description = "Object ID of the VM's system-assigned managed identity."
  value       = azurerm_linux_virtual_machine.control_plane.identity[0].principal_id
}

output "vm_name" {
  description = "Name of the control plane VM."
  value       = azurerm_linux_virtual_machine.control_plane.name
}
