locals {
  # The tags azmesh discovers backends by (the Azure provider's defaults).
  mesh_tags = merge(
    {
      "mesh-service" = var.service_name
      "mesh-port"    = tostring(var.service_port)
      "mesh-weight"  = tostring(var.service_weight)
    },
    # Only with a health check in the mesh config: the control plane checks the tag against the
    # service's health_check.path, and a tag without a check is a problem on every VM.
    var.health_path == null ? {} : { "mesh-health-path" = var.health_path },
  )

  fixed_vm_count = var.kind == "vms" ? var.instance_count : 0

  custom_data = base64encode(templatefile("${path.module}/cloud-init.yaml.tftpl", {
    service_name = var.service_name
    service_port = var.service_port
  }))
}

# A resource group of their own, so the control plane's Reader role covers the backends and nothing else.
resource "azurerm_resource_group" "backends" {
  name     = "${var.name_prefix}-backends"
  location = var.location
  tags     = var.tags
}

resource "azurerm_network_interface" "backend" {
  count               = local.fixed_vm_count
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
  count                           = local.fixed_vm_count
  name                            = "${var.name_prefix}-backend-${count.index}"
  location                        = var.location
  resource_group_name             = azurerm_resource_group.backends.name
  size                            = var.vm_size
  admin_username                  = var.admin_username
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.backend[count.index].id]
  tags                            = merge(var.tags, local.mesh_tags)

  custom_data = local.custom_data

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
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

# Flexible orchestration: each instance is an ordinary VM, listed (with its tags, copied from the
# scale set at creation) and discovered like the fixed VMs above, and its NIC sits in this group.
resource "azurerm_orchestrated_virtual_machine_scale_set" "backend" {
  count                       = var.kind == "scale_set" ? 1 : 0
  name                        = "${var.name_prefix}-backends"
  location                    = var.location
  resource_group_name         = azurerm_resource_group.backends.name
  sku_name                    = var.vm_size
  instances                   = var.autoscale.default
  platform_fault_domain_count = 1
  zones                       = length(var.zones) == 0 ? null : var.zones
  zone_balance                = length(var.zones) > 1
  tags                        = merge(var.tags, local.mesh_tags)

  # Scale-in and other deletions wait for this long: the instance is 'Deleting' at once, so the
  # next refresh leaves it out and drains it while it still answers. Azure accepts 5 to 15
  # minutes; keep it above --refresh plus --drain-period (30 s + 30 s by default).
  termination_notification {
    enabled = true
    timeout = var.termination_notification_timeout
  }

  os_profile {
    custom_data = local.custom_data

    linux_configuration {
      admin_username                  = var.admin_username
      computer_name_prefix            = "${var.name_prefix}-backend"
      disable_password_authentication = true

      admin_ssh_key {
        username   = var.admin_username
        public_key = var.ssh_public_key
      }
    }
  }

  network_interface {
    name    = "primary"
    primary = true

    ip_configuration {
      name      = "primary"
      primary   = true
      subnet_id = var.subnet_id
    }
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  # The autoscale setting owns the instance count after creation.
  lifecycle {
    ignore_changes = [instances]
  }
}

# CPU-based: one more instance while the average stays above scale_out_cpu_percent for 5 minutes,
# one fewer below scale_in_cpu_percent for 10; never outside minimum..maximum.
resource "azurerm_monitor_autoscale_setting" "backend" {
  count               = var.kind == "scale_set" ? 1 : 0
  name                = "${var.name_prefix}-backends-autoscale"
  location            = var.location
  resource_group_name = azurerm_resource_group.backends.name
  target_resource_id  = azurerm_orchestrated_virtual_machine_scale_set.backend[0].id
  tags                = var.tags

  profile {
    name = "cpu"

    capacity {
      default = var.autoscale.default
      minimum = var.autoscale.minimum
      maximum = var.autoscale.maximum
    }

    rule {
      metric_trigger {
        metric_name        = "Percentage CPU"
        metric_resource_id = azurerm_orchestrated_virtual_machine_scale_set.backend[0].id
        metric_namespace   = "microsoft.compute/virtualmachinescalesets"
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT5M"
        time_aggregation   = "Average"
        operator           = "GreaterThan"
        threshold          = var.autoscale.scale_out_cpu_percent
      }

      scale_action {
        direction = "Increase"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT5M"
      }
    }

    rule {
      metric_trigger {
        metric_name        = "Percentage CPU"
        metric_resource_id = azurerm_orchestrated_virtual_machine_scale_set.backend[0].id
        metric_namespace   = "microsoft.compute/virtualmachinescalesets"
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT10M"
        time_aggregation   = "Average"
        operator           = "LessThan"
        threshold          = var.autoscale.scale_in_cpu_percent
      }

      scale_action {
        direction = "Decrease"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT10M"
      }
    }
  }
}
