output "resource_group_name" {
  description = "Resource group holding the backends; the control plane discovers VMs in it."
  value       = azurerm_resource_group.backends.name
}

output "resource_group_id" {
  description = "ID of the backends' resource group: the scope of the control plane's Reader role."
  value       = azurerm_resource_group.backends.id
}

output "vm_names" {
  description = "Names of the fixed backend VMs (kind = \"vms\"); empty for a scale set, whose instances come and go."
  value       = azurerm_linux_virtual_machine.backend[*].name
}

output "private_ips" {
  description = "Private IP of each fixed backend VM, in vm_names order; empty for a scale set."
  value       = azurerm_network_interface.backend[*].private_ip_address
}

output "scale_set_name" {
  description = "Name of the backends' scale set (kind = \"scale_set\"), for az vmss commands; null for fixed VMs."
  value       = one(azurerm_orchestrated_virtual_machine_scale_set.backend[*].name)
}

output "autoscale_setting_name" {
  description = "Name of the scale set's autoscale setting (kind = \"scale_set\"), for az monitor autoscale commands; null for fixed VMs."
  value       = one(azurerm_monitor_autoscale_setting.backend[*].name)
}

output "mesh_tags" {
  description = "The discovery tags every backend carries."
  value       = local.mesh_tags
}
