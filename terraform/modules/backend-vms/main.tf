locals {
  # The tags azmesh discovers backends by (the Azure provider's defaults).
  mesh_tags = {
    "mesh-service"     = var.service_name
    "mesh-port"        = tostring(var.service_port)
    "mesh-weight"      = tostring(var.service_weight)
    # Checked against the mesh config's health_check.path (service_defaults or the service's).
    "mesh-health-path" = "/healthz"
  }
}

# A resource group of their own, so the control plane's Reader role covers the backends and nothing else.
resource "azurerm_resource_group" "backends" {
  name     = "${var.name_prefix}-backends"
  location = var.location
  tags     = var.tags
}

resource "azurerm_network_interface" "backend" {
  count               = var.instance_count
  name                = "${var.name_prefix}-backend-${count.index}-nic"
  location            = var.location
  resource_group_name = azurerm_resource_group.backends.name
  tags                = var.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "backend" {
  count                           = var.instance_count
  name                            = "${var.name_prefix}-backend-${count.index}"
  location                        = var.location
  resource_group_name             = azurerm_resource_group.backends.name
  size                            = var.vm_size
  admin_username                  = var.admin_username
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.backend[count.index].id]
  tags                            = merge(var.tags, local.mesh_tags)

  custom_data = base64encode(templatefile("${path.module}/cloud-init.yaml.tftpl", {
    service_name = var.service_name
    service_port = var.service_port
  }))

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
