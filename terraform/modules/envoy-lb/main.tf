locals {
  # Edge i in zones[i mod n], like the control plane's replicas: one zone's outage leaves the others.
  edge_zones = [for i in range(var.instance_count) : length(var.zones) == 0 ? null : var.zones[i % length(var.zones)]]
}

resource "azurerm_public_ip" "edge" {
  count               = var.instance_count
  name                = "${var.name_prefix}-edge-${count.index}-pip"
  location            = var.location
  resource_group_name = var.resource_group_name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = local.edge_zones[count.index] == null ? null : [local.edge_zones[count.index]]
  tags                = var.tags
}

resource "azurerm_network_interface" "edge" {
  count               = var.instance_count
  name                = "${var.name_prefix}-edge-${count.index}-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.edge[count.index].id
  }
}

resource "azurerm_linux_virtual_machine" "edge" {
  count                           = var.instance_count
  name                            = "${var.name_prefix}-edge-${count.index}"
  location                        = var.location
  resource_group_name             = var.resource_group_name
  zone                            = local.edge_zones[count.index]
  size                            = var.vm_size
  admin_username                  = var.admin_username
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.edge[count.index].id]
  tags                            = var.tags

  # The bootstrap only knows the control plane; listeners, routes, clusters and endpoints come over ADS.
  custom_data = base64encode(templatefile("${path.module}/cloud-init.yaml.tftpl", {
    xds_host     = var.xds_host
    xds_port     = var.xds_port
    node_id      = "${var.name_prefix}-edge-${count.index}"
    node_cluster = var.node_cluster
    admin_port   = var.admin_port
    # Envoy's ads_config.api_type: delta (DELTA_GRPC) or state of the world (GRPC).
    xds_api_type               = var.xds_api == "delta" ? "DELTA_GRPC" : "GRPC"
    max_heap_bytes             = var.max_heap_mib * 1048576
    max_downstream_connections = var.max_downstream_connections
    # PEM as a JSON string: a valid YAML double-quoted scalar, whatever the PEM holds.
    xds_ca_json           = jsonencode(var.xds_ca_certificate_pem)
    envoy_package         = var.envoy_package
    envoy_key_fingerprint = var.envoy_signing_key_fingerprint
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
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  # A new Envoy package, CA or bootstrap must not replace every edge at once: edges are replaced
  # one at a time with `terraform apply -replace=...` (docs/operations.md, "Upgrade").
  lifecycle {
    ignore_changes = [custom_data]
  }
}
