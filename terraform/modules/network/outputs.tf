output "resource_group_name" {
  description = "Resource group that holds the network."
  value       = local.resource_group_name
}

output "virtual_network_id" {
  description = "ID of the virtual network."
  value       = azurerm_virtual_network.mesh.id
}

output "backends_subnet_id" {
  description = "Subnet for the backend VMs."
  value       = azurerm_subnet.tier["backends"].id
}

output "control_plane_subnet_id" {
  description = "Subnet for the control plane VM."
  value       = azurerm_subnet.tier["control-plane"].id
}

output "control_plane_subnet_cidr" {
  description = "CIDR of the control plane subnet, to pick a static address from."
  value       = var.subnet_cidrs.control_plane
}

output "edge_subnet_id" {
  description = "Subnet for the Envoy edge VMs."
  value       = azurerm_subnet.tier["edge"].id
}

output "egress_ip" {
  description = "Public IP all VMs use for outbound traffic (the NAT gateway's), e.g. to allow the meshctl jar download."
  value       = azurerm_public_ip.nat.ip_address
}
