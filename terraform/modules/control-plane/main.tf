locals {
  # "/subscriptions/<id>/resourceGroups/<name>": one input, so subscription, group and the Reader
  # role's scope cannot disagree. --subscription names one subscription only, so the plain group
  # name is listed there alone (the <subscription-id>/<name> form would say the same).
  discovery_scope = split("/", var.discovery_resource_group_id)

  serve_args = join(" ", concat(
    [
      "--provider azure",
      "--auth managed-identity",
      "--client-id ${azurerm_user_assigned_identity.control_plane.client_id}",
      "--subscription ${local.discovery_scope[2]}",
      "--resource-group ${local.discovery_scope[4]}",
    ],
    [for t in var.discovery_tags : "--tag ${t}"],
    [
      "--xds-bind 0.0.0.0",
      "--xds-port ${var.xds_port}",
      # systemd's LoadCredential= hands the key and the token to the dynamic user under %d, the
      # unit's credentials directory, readable by the service only.
      "--xds-tls-cert /etc/azmesh/xds-cert.pem",
      "--xds-tls-key %d/xds-key",
      "--status-bind 0.0.0.0",
      "--status-port ${var.status_port}",
      "--status-token-file %d/status-token",
    ],
    var.mesh_config == null ? [] : ["--config /etc/azmesh/mesh.yaml"],
  ))

  # Round-robin over the zones: replica i lands in zones[i mod n], so two replicas never share a
  # zone while there are zones left. No zones: Azure spreads the VMs over fault domains.
  replica_zones = [for i in range(var.replica_count) : length(var.zones) == 0 ? null : var.zones[i % length(var.zones)]]
}

# One identity shared by the replicas: its roles exist before any replica boots, so the first
# discovery and the jar download do not race the role assignments.
resource "azurerm_user_assigned_identity" "control_plane" {
  name                = "${var.name_prefix}-control-plane-id"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

# Least privilege: read-only, on the group that holds the backends and nothing else. That is all
# discovery needs, because serve_args names the group and the azure provider then lists only in it.
resource "azurerm_role_assignment" "discovery_reader" {
  scope                = var.discovery_resource_group_id
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.control_plane.principal_id
  principal_type       = "ServicePrincipal"
}

# Reading the jar's container, and only that container, when the jar is a private blob. The count
# is a boolean known at plan time: the container's ID usually is not (Terraform 1.5 cannot count
# over "unknown == null").
resource "azurerm_role_assignment" "jar_reader" {
  count                = var.meshctl_jar_private ? 1 : 0
  scope                = var.meshctl_jar_storage_container_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.control_plane.principal_id
  principal_type       = "ServicePrincipal"

  lifecycle {
    precondition {
      condition     = var.meshctl_jar_storage_container_id != null
      error_message = "meshctl_jar_private is true but meshctl_jar_storage_container_id is null: name the container that holds the jar."
    }
  }
}

# Internal Standard load balancer: Envoys know only its frontend address. A replica leaves the
# rotation when its /readyz fails; Envoy's keepalives notice a dead replica and reconnect here.
resource "azurerm_lb" "control_plane" {
  name                = "${var.name_prefix}-control-plane-lb"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "Standard"
  tags                = var.tags

  frontend_ip_configuration {
    name                          = "control-plane"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = var.frontend_ip_address == null ? "Dynamic" : "Static"
    private_ip_address            = var.frontend_ip_address
    private_ip_address_version    = "IPv4"
    # Zone-redundant where the region has zones: the frontend survives the loss of one.
    zones = length(var.zones) == 0 ? null : var.zones
  }
}

resource "azurerm_lb_backend_address_pool" "replicas" {
  name            = "replicas"
  loadbalancer_id = azurerm_lb.control_plane.id
}

resource "azurerm_lb_probe" "readyz" {
  name                = "readyz"
  loadbalancer_id     = azurerm_lb.control_plane.id
  protocol            = "Http"
  port                = var.status_port
  request_path        = "/readyz"
  interval_in_seconds = 5
  # On a Standard load balancer probe_threshold is what counts: 2 failed probes in a row take a
  # replica out (10 s); number_of_probes is ignored there.
  probe_threshold = 2
}

# xDS streams are long-lived: Envoy's HTTP/2 PINGs keep them under the idle timeout, and a TCP
# reset on expiry tells both ends at once instead of leaving a half-open stream.
resource "azurerm_lb_rule" "xds" {
  name                           = "xds"
  loadbalancer_id                = azurerm_lb.control_plane.id
  protocol                       = "Tcp"
  frontend_port                  = var.xds_port
  backend_port                   = var.xds_port
  frontend_ip_configuration_name = "control-plane"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.replicas.id]
  probe_id                       = azurerm_lb_probe.readyz.id
  idle_timeout_in_minutes        = 30
  tcp_reset_enabled              = true
  disable_outbound_snat          = true
}

resource "azurerm_lb_rule" "status" {
  name                           = "status"
  loadbalancer_id                = azurerm_lb.control_plane.id
  protocol                       = "Tcp"
  frontend_port                  = var.status_port
  backend_port                   = var.status_port
  frontend_ip_configuration_name = "control-plane"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.replicas.id]
  probe_id                       = azurerm_lb_probe.readyz.id
  idle_timeout_in_minutes        = 4
  tcp_reset_enabled              = true
  disable_outbound_snat          = true
}

resource "azurerm_network_interface" "replica" {
  count               = var.replica_count
  name                = "${var.name_prefix}-control-plane-${count.index}-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_network_interface_backend_address_pool_association" "replica" {
  count                   = var.replica_count
  network_interface_id    = azurerm_network_interface.replica[count.index].id
  ip_configuration_name   = "primary"
  backend_address_pool_id = azurerm_lb_backend_address_pool.replicas.id
}

resource "azurerm_linux_virtual_machine" "replica" {
  count                           = var.replica_count
  name                            = "${var.name_prefix}-control-plane-${count.index}"
  location                        = var.location
  resource_group_name             = var.resource_group_name
  zone                            = local.replica_zones[count.index]
  size                            = var.vm_size
  admin_username                  = var.admin_username
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.replica[count.index].id]
  tags                            = var.tags

  custom_data = base64encode(templatefile("${path.module}/cloud-init.yaml.tftpl", {
    meshctl_jar_url    = var.meshctl_jar_url
    meshctl_jar_sha256 = var.meshctl_jar_sha256
    # Empty for a public URL; otherwise the identity whose IMDS token reads the private blob.
    jar_identity_client_id = var.meshctl_jar_private ? azurerm_user_assigned_identity.control_plane.client_id : ""
    serve_args             = "${local.serve_args}${local.change_queue_args[count.index]}"
    # JSON is a valid YAML double-quoted scalar: the config's text lands verbatim, whatever it holds.
    mesh_config_json = var.mesh_config == null ? "" : jsonencode(var.mesh_config)
    # PEM and the token as JSON strings, for the same reason.
    xds_cert_json     = jsonencode("${tls_locally_signed_cert.xds.cert_pem}${tls_self_signed_cert.ca.cert_pem}")
    xds_key_json      = jsonencode(tls_private_key.xds.private_key_pem_pkcs8)
    status_token_json = jsonencode(random_password.status_token.result)
  }))

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.control_plane.id]
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
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  # A new jar (or any other change to the boot script) must not replace every replica at once:
  # upgrades replace one replica at a time with `terraform apply -replace=...`, which boots it with
  # the current custom_data (docs/operations.md, "Upgrade the control plane").
  lifecycle {
    ignore_changes = [custom_data]
  }

  # The roles first: a replica that boots without them fails its first discovery and download.
  depends_on = [azurerm_role_assignment.discovery_reader, azurerm_role_assignment.jar_reader]
}

# xDS over TLS inside the VNet: a private CA made for this deployment signs the replicas'
# certificate, and the edges trust only that CA. Keys and token land in Terraform state (README).
resource "tls_private_key" "ca" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ca.private_key_pem
  is_ca_certificate     = true
  validity_period_hours = 87600
  allowed_uses          = ["cert_signing", "crl_signing"]

  subject {
    common_name  = "${var.name_prefix} azmesh xDS CA"
    organization = "azmesh"
  }
}

resource "tls_private_key" "xds" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "xds" {
  private_key_pem = tls_private_key.xds.private_key_pem
  # The address Envoys dial: the load balancer's frontend.
  ip_addresses = [azurerm_lb.control_plane.frontend_ip_configuration[0].private_ip_address]

  subject {
    common_name  = "${var.name_prefix} azmesh control plane"
    organization = "azmesh"
  }
}

# Five years: a replica reads its certificate at start only, and a new one reaches the replicas
# the way a new jar does, one replica at a time (docs/operations.md).
resource "tls_locally_signed_cert" "xds" {
  cert_request_pem      = tls_cert_request.xds.cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 43800
  allowed_uses          = ["digital_signature", "key_encipherment", "server_auth"]
}

# The status API's bearer token: every /api/* and /metrics request needs it (/readyz does not, so
# the load balancer's probe works). Operators read it with `terraform output -raw status_token`.
resource "random_password" "status_token" {
  length  = 48
  special = false
}
