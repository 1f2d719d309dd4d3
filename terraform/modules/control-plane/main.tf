locals {
  # "/subscriptions/<id>/resourceGroups/<name>": one input, so subscription, group and the Reader
  # role's scope cannot disagree. --subscription names one subscription only, so the plain group
  # name is listed there alone (the <subscription-id>/<name> form would say the same).
  discovery_scope = split("/", var.discovery_resource_group_id)

  serve_args = join(" ", concat(
    [
      "--provider azure",
      "--auth managed-identity",
      "--subscription ${local.discovery_scope[2]}",
      "--resource-group ${local.discovery_scope[4]}",
    ],
    [for t in var.discovery_tags : "--tag ${t}"],
    [
      "--xds-bind 0.0.0.0",
      "--xds-port ${var.xds_port}",
      "--status-bind 0.0.0.0",
      "--status-port ${var.status_port}",
    ],
    var.mesh_config == null ? [] : ["--config /etc/azmesh/mesh.yaml"],
  ))
}

resource "azurerm_network_interface" "control_plane" {
  name                = "${var.name_prefix}-control-plane-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = var.private_ip_address == null ? "Dynamic" : "Static"
    private_ip_address            = var.private_ip_address
  }
}

resource "azurerm_linux_virtual_machine" "control_plane" {
  name                            = "${var.name_prefix}-control-plane"
  location                        = var.location
  resource_group_name             = var.resource_group_name
  size                            = var.vm_size
  admin_username                  = var.admin_username
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.control_plane.id]
  tags                            = var.tags

  custom_data = base64encode(templatefile("${path.module}/cloud-init.yaml.tftpl", {
    meshctl_jar_url    = var.meshctl_jar_url
    meshctl_jar_sha256 = var.meshctl_jar_sha256
    serve_args         = local.serve_args
    # JSON is a valid YAML double-quoted scalar: the config's text lands verbatim, whatever it holds.
    mesh_config_json = var.mesh_config == null ? "" : jsonencode(var.mesh_config)
  }))

  identity {
    type = "SystemAssigned"
  }

  admin_ssh_key {
    username   = var.admin_username
    public_key = var.ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
}

# Least privilege: read-only, on the group that holds the backends and nothing else. That is all
# discovery needs, because serve_args names the group and the azure provider then lists only in it.
resource "azurerm_role_assignment" "discovery_reader" {
  scope                = var.discovery_resource_group_id
  role_definition_name = "Reader"
  principal_id         = azurerm_linux_virtual_machine.control_plane.identity[0].principal_id
  principal_type       = "ServicePrincipal"
}
