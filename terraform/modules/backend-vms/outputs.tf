output "resource_group_name" {
  description = "Resource group holding the backends; the control plane discovers VMs in it."
  value       = azurerm_resource_group.backends.name
}

output "resource_group_id" {
  description = "ID of the backends' resource group: the scope of the control plane's Reader role."
  value       = azurerm_resource_group.backends.id
}

output "vm_names" {
  description = "Names of the backend VMs."
  value       = azurerm_linux_virtual_machine.backend[*].name
}

output "private_ips" {
  description = "Private IP of each backend VM, in vm_names order."
  value       = azurerm_network_interface.backend[*].private_ip_address
}

output "mesh_tags" {
  description = "The discovery tags every backend carries."
  value       = local.mesh_tags
}
