locals {
  resource_group_name = var.existing_resource_group_name == null ? azurerm_resource_group.network[0].name : data.azurerm_resource_group.existing[0].name

  # One NSG per subnet, so each tier gets exactly the inbound rules it needs.
  tiers = {
    backends      = var.subnet_cidrs.backends
    control-plane = var.subnet_cidrs.control_plane
    edge          = var.subnet_cidrs.edge
  }
}

resource "azurerm_resource_group" "network" {
  count    = var.existing_resource_group_name == null ? 1 : 0
  name     = "${var.name_prefix}-network"
  location = var.location
  tags     = var.tags
}

data "azurerm_resource_group" "existing" {
  count = var.existing_resource_group_name == null ? 0 : 1
  name  = var.existing_resource_group_name
}

resource "azurerm_virtual_network" "mesh" {
  name                = "${var.name_prefix}-vnet"
  location            = var.location
  resource_group_name = local.resource_group_name
  address_space       = [var.address_space]
  tags                = var.tags
}

resource "azurerm_subnet" "tier" {
  for_each             = local.tiers
  name                 = each.key
  resource_group_name  = local.resource_group_name
  virtual_network_name = azurerm_virtual_network.mesh.name
  address_prefixes     = [each.value]
  # Private subnets: Azure is retiring implicit outbound access; egress goes through the NAT gateway.
  default_outbound_access_enabled = false
  # The replicas reach the jar's storage account over its service endpoint, so the account can
  # deny every other network (examples/complete); nothing else uses it.
  service_endpoints = each.key == "control-plane" ? ["Microsoft.Storage"] : []
}

# Cloud-init needs outbound HTTPS (apt, the Envoy repository, the meshctl jar) and the replicas
# need ARM; nothing inbound. A Standard NAT gateway lives in one zone, and losing that zone would
# cut every replica off from ARM; StandardV2 (with a StandardV2 address) spans the zones it is
# given, which is Microsoft's recommendation for zone redundancy (docs/decisions/0009).
resource "azurerm_public_ip" "nat" {
  name                = "${var.name_prefix}-nat-pip"
  location            = var.location
  resource_group_name = local.resource_group_name
  allocation_method   = "Static"
  sku                 = var.nat_gateway_sku
  zones               = length(var.zones) == 0 ? null : var.zones
  tags                = var.tags
}

resource "azurerm_nat_gateway" "outbound" {
  name                = "${var.name_prefix}-nat"
  location            = var.location
  resource_group_name = local.resource_group_name
  sku_name            = var.nat_gateway_sku
  zones               = length(var.zones) == 0 || var.nat_gateway_sku == "Standard" ? null : var.zones
  tags                = var.tags
}

resource "azurerm_nat_gateway_public_ip_association" "outbound" {
  nat_gateway_id       = azurerm_nat_gateway.outbound.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_subnet_nat_gateway_association" "tier" {
  for_each       = local.tiers
  subnet_id      = azurerm_subnet.tier[each.key].id
  nat_gateway_id = azurerm_nat_gateway.outbound.id
}

resource "azurerm_network_security_group" "tier" {
  for_each            = local.tiers
  name                = "${var.name_prefix}-${each.key}-nsg"
  location            = var.location
  resource_group_name = local.resource_group_name
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "tier" {
  for_each                  = local.tiers
  subnet_id                 = azurerm_subnet.tier[each.key].id
  network_security_group_id = azurerm_network_security_group.tier[each.key].id
}

# Azure's default rules allow all traffic inside the VNet; the explicit denies below narrow that.

resource "azurerm_network_security_rule" "xds_from_edge" {
  name                        = "allow-xds-from-edge"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(var.xds_port)
  source_address_prefix       = var.subnet_cidrs.edge
  destination_address_prefix  = var.subnet_cidrs.control_plane
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["control-plane"].name
}

resource "azurerm_network_security_rule" "xds_from_elsewhere" {
  name                        = "deny-xds-from-elsewhere"
  priority                    = 4000
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = tostring(var.xds_port)
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["control-plane"].name
}

# The status API needs a bearer token (control-plane module), and only the replicas' own subnet
# reaches it: not the internet-facing edges, not the backends. Operators use run-command on a
# replica (docs/operations.md, "Access") or come from admin_cidr.
resource "azurerm_network_security_rule" "status_from_control_plane" {
  name                        = "allow-status-from-control-plane"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(var.status_port)
  source_address_prefix       = var.subnet_cidrs.control_plane
  destination_address_prefix  = var.subnet_cidrs.control_plane
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["control-plane"].name
}

# The control plane's load balancer probes /readyz on the status port from Azure's probe address
# (service tag AzureLoadBalancer); without this the deny below would take every replica out.
resource "azurerm_network_security_rule" "status_from_load_balancer" {
  name                        = "allow-status-probe-from-load-balancer"
  priority                    = 115
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(var.status_port)
  source_address_prefix       = "AzureLoadBalancer"
  destination_address_prefix  = var.subnet_cidrs.control_plane
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["control-plane"].name
}

resource "azurerm_network_security_rule" "status_from_admin" {
  count                       = var.admin_cidr == null ? 0 : 1
  name                        = "allow-status-from-admin"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(var.status_port)
  source_address_prefix       = var.admin_cidr
  destination_address_prefix  = var.subnet_cidrs.control_plane
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["control-plane"].name
}

resource "azurerm_network_security_rule" "status_from_elsewhere" {
  name                        = "deny-status-from-elsewhere"
  priority                    = 4001
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = tostring(var.status_port)
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["control-plane"].name
}

resource "azurerm_network_security_rule" "backends_from_vnet" {
  name                        = "allow-backends-from-vnet"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = [for p in var.backend_ports : tostring(p)]
  source_address_prefix       = var.address_space
  destination_address_prefix  = var.subnet_cidrs.backends
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["backends"].name
}

resource "azurerm_network_security_rule" "edge_listener_from_clients" {
  name                        = "allow-listener-from-clients"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(var.edge_listener_port)
  source_address_prefixes     = var.edge_client_cidrs
  destination_address_prefix  = var.subnet_cidrs.edge
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier["edge"].name
}

# SSH only to the edges, the one tier with public IPs; replicas and backends have no address an
# admin could reach, and are operated with run-command instead (docs/operations.md, "Access").
resource "azurerm_network_security_rule" "ssh_from_admin" {
  for_each                    = var.admin_cidr == null ? {} : { edge = var.subnet_cidrs.edge }
  name                        = "allow-ssh-from-admin"
  priority                    = 130
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = var.admin_cidr
  destination_address_prefix  = each.value
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier[each.key].name
}

resource "azurerm_network_security_rule" "ssh_from_elsewhere" {
  for_each                    = local.tiers
  name                        = "deny-ssh-from-elsewhere"
  priority                    = 4010
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = local.resource_group_name
  network_security_group_name = azurerm_network_security_group.tier[each.key].name
}
