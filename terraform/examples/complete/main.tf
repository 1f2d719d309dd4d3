locals {
  xds_port     = 18000
  status_port  = 8080
  demo_service = "demo"
  demo_port    = 8080

  # The jar `./mvnw package` builds, uploaded to a private container, unless a URL is given.
  upload_jar = var.meshctl_jar_url == null
  jar_file   = startswith(var.meshctl_jar_path, "/") ? var.meshctl_jar_path : "${path.module}/${var.meshctl_jar_path}"
  # try(): in URL mode the file need not exist; in upload mode the blob's precondition names it.
  jar_sha256 = local.upload_jar ? try(filesha256(local.jar_file), "") : var.meshctl_jar_sha256

  # Storage account names are global, 3-24 of a-z0-9: the prefix plus a hash of what makes this
  # deployment unique, so a second deployment (or subscription) gets its own name.
  artifacts_account_name = "${substr(replace(var.name_prefix, "-", ""), 0, 12)}jar${substr(sha1("${var.subscription_id}/${var.location}/${var.name_prefix}"), 0, 9)}"
  # The region's availability zones unless given: none in a region that has none.
  zones = var.zones != null ? var.zones : sort([for m in data.azurerm_location.region.zone_mappings : m.logical_zone])

  artifacts_container_id = local.upload_jar ? "${azurerm_storage_account.artifacts[0].id}/blobServices/default/containers/${azurerm_storage_container.artifacts[0].name}" : null
}

data "azurerm_location" "region" {
  location = var.location
}

module "network" {
  source             = "../../modules/network"
  name_prefix        = var.name_prefix
  location           = var.location
  admin_cidr         = var.admin_cidr
  xds_port           = local.xds_port
  status_port        = local.status_port
  backend_ports      = [local.demo_port]
  edge_listener_port = var.edge_listener_port
  tags               = var.tags
}

# Whoever runs terraform: it uploads the jar, so it (and only it, on this container) may write.
data "azurerm_client_config" "deployer" {}

# A private home for the jar: no anonymous access, no shared keys (Entra ID only), TLS 1.2+.
resource "azurerm_storage_account" "artifacts" {
  count                           = local.upload_jar ? 1 : 0
  name                            = local.artifacts_account_name
  resource_group_name             = module.network.resource_group_name
  location                        = var.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  tags                            = var.tags
}

resource "azurerm_storage_container" "artifacts" {
  count                 = local.upload_jar ? 1 : 0
  name                  = "meshctl"
  storage_account_id    = azurerm_storage_account.artifacts[0].id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "deployer_uploads_jar" {
  count                = local.upload_jar ? 1 : 0
  scope                = local.artifacts_container_id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = data.azurerm_client_config.deployer.object_id
}

# Named by its SHA-256: a rebuilt jar is a new blob, and the old one stays for replicas not yet
# replaced (see docs/operations.md, "Upgrade the control plane").
resource "azurerm_storage_blob" "meshctl" {
  count                  = local.upload_jar ? 1 : 0
  name                   = "meshctl-${local.jar_sha256}.jar"
  storage_account_name   = azurerm_storage_account.artifacts[0].name
  storage_container_name = azurerm_storage_container.artifacts[0].name
  type                   = "Block"
  source                 = local.jar_file
  content_type           = "application/java-archive"

  lifecycle {
    precondition {
      condition     = local.jar_sha256 != ""
      error_message = "No meshctl jar at meshctl_jar_path: build it with ./mvnw -B package -DskipTests (cli/target/meshctl.jar), or set meshctl_jar_url and meshctl_jar_sha256."
    }
  }

  depends_on = [azurerm_role_assignment.deployer_uploads_jar]
}

module "backends" {
  source         = "../../modules/backend-vms"
  name_prefix    = var.name_prefix
  location       = var.location
  subnet_id      = module.network.backends_subnet_id
  kind           = "scale_set"
  autoscale      = var.backend_autoscale
  zones          = local.zones
  service_name   = local.demo_service
  service_port   = local.demo_port
  ssh_public_key = var.ssh_public_key
  tags           = var.tags
}

module "control_plane" {
  source                           = "../../modules/control-plane"
  name_prefix                      = var.name_prefix
  location                         = var.location
  resource_group_name              = module.network.resource_group_name
  subnet_id                        = module.network.control_plane_subnet_id
  replica_count                    = var.control_plane_replicas
  zones                            = local.zones
  frontend_ip_address              = cidrhost(module.network.control_plane_subnet_cidr, 10)
  discovery_resource_group_id      = module.backends.resource_group_id
  meshctl_jar_url                  = local.upload_jar ? azurerm_storage_blob.meshctl[0].url : var.meshctl_jar_url
  meshctl_jar_sha256               = local.jar_sha256
  meshctl_jar_storage_container_id = local.artifacts_container_id
  xds_port                         = local.xds_port
  status_port                      = local.status_port
  ssh_public_key                   = var.ssh_public_key
  tags                             = var.tags
}

module "edge" {
  source              = "../../modules/envoy-lb"
  name_prefix         = var.name_prefix
  location            = var.location
  resource_group_name = module.network.resource_group_name
  subnet_id           = module.network.edge_subnet_id
  instance_count      = var.edge_count
  xds_host            = module.control_plane.frontend_ip
  xds_port            = module.control_plane.xds_port
  xds_api             = var.xds_api
  ssh_public_key      = var.ssh_public_key
  tags                = var.tags
}
