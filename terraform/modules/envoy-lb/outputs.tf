output "public_ips" {
  description = "Public IP of each edge VM, in node_ids order."
  value       = azurerm_public_ip.edge[*].ip_address
}

output "node_ids" {
  description = "Envoy node id of each edge VM, as the status API's /api/nodes lists them."
  value       = [for i in range(var.instance_count) : "${var.name_prefix}-edge-${i}"]
}

output "vm_names" {
  description = "Names of the edge VMs."
  value       = azurerm_linux_virtual_machine.edge[*].name
}
