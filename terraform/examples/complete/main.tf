locals {
  xds_port     = 18000
  status_port  = 8080
  demo_service = "demo"
  demo_port    = 8080

  # The jar `./mvnw package` builds, uploaded to a private container, unless a URL is given.
  upload_jar = var.meshctl_jar_url == null
  jar_file   = startswith(var.meshctl_jar_path, "/") ? var.meshctl_jar_path : "${path.module}/${var.meshctl_jar_path}"
  # try(): in URL mode the file need not exist; in upload mode the storage account's precondition
  # names it.
  jar_sha256 = local.upload_jar ? try(filesha256(local.jar_file), "") : var.meshctl_jar_sha256

  # Storage account names are global, 3-24 of a-z0-9: the prefix plus a hash of what makes this
  # deployment unique, so a second deployment (or subscription) gets its own name.
  artifacts_account_name = "${substr(replace(var.name_prefix, "-", ""), 0, 12)}jar${substr(sha1("${var.subscription_id}/${var.location}/${var.name_prefix}"), 0, 9)}"
  # The region's availability zones unless given: none in a region that has none.
  zones = var.zones != null ? var.zones : sort([for m in data.azurerm_location.region.zone_mappings : m.logical_zone])

  artifacts_container_id = local.upload_jar ? "${azurerm_storage_account.artifacts[0].id}/blobServices/default/containers/${azurerm_storage_container.artifacts[0].name}" : null
  jar_blob               = "meshctl-${local.jar_sha256}.jar"
  jar_url                = local.upload_jar ? "${azurerm_storage_account.artifacts[0].primary_blob_endpoint}${azurerm_storage_container.artifacts[0].name}/${local.jar_blob}" : var.meshctl_jar_url

  # Storage IP rules take a bare address for a single host (/31 and /32 are refused).
  deployer_ip_rules = var.admin_cidr == null ? [] : [trimsuffix(var.admin_cidr, "/32")]

  # The demo service's health check: the mesh config checks this path, and the backends carry it
  # as their mesh-health-path tag, so the two agree and no VM is a problem at first boot.
  demo_health_path = "/healthz"
}

data "azurerm_location" "region" {
  location = var.location
}

module "network" {
  source             = "../../modules/network"
  name_prefix        = var.name_prefix
  location           = var.location
  zones              = local.zones
  admin_cidr         = var.admin_cidr
  xds_port           = local.xds_port
  status_port        = local.status_port
  backend_ports      = [local.demo_port]
  edge_listener_port = var.edge_listener_port
  tags               = var.tags
}

# Whoever runs terraform uploads the jar: upload-jar.sh gives it Storage Blob Data Contributor on
# the container for the upload only and removes the role again.
data "azurerm_client_config" "deployer" {}

# A private home for the jar: no anonymous access, no shared keys (Entra ID only), TLS 1.2+, and
# reachable only from the replicas' subnet (service endpoint) and the operator's address.
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

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices"]
    ip_rules                   = local.deployer_ip_rules
    virtual_network_subnet_ids = [module.network.control_plane_subnet_id]
  }

  lifecycle {
    precondition {
      condition     = length(local.deployer_ip_rules) > 0
      error_message = "Uploading the jar needs admin_cidr (your public address, e.g. \"203.0.113.7/32\"): the storage account accepts no other network. Or set meshctl_jar_url and meshctl_jar_sha256."
    }
    precondition {
      condition     = local.jar_sha256 != ""
      error_message = "No meshctl jar at meshctl_jar_path: build it with ./mvnw -B package -DskipTests (cli/target/meshctl.jar), or set meshctl_jar_url and meshctl_jar_sha256."
    }
  }
}

resource "azurerm_storage_container" "artifacts" {
  count                 = local.upload_jar ? 1 : 0
  name                  = "meshctl"
  storage_account_id    = azurerm_storage_account.artifacts[0].id
  container_access_type = "private"
}

# The upload, with Azure CLI: a role assignment can take up to 10 minutes to take effect, and
# depends_on cannot wait for that, so upload-jar.sh grants the role, retries the upload until the
# role works (15 minutes at most), and deletes the role whatever happened. Named by its SHA-256: a
# new build is a new blob, and Terraform never deletes one, so the jar the replicas run stays until
# the upgrade is done (docs/operations.md, "Upgrade the control plane").
resource "terraform_data" "meshctl_upload" {
  count            = local.upload_jar ? 1 : 0
  triggers_replace = [local.jar_sha256, azurerm_storage_container.artifacts[0].id]

  provisioner "local-exec" {
    command = "${path.module}/upload-jar.sh"
    environment = {
      ASSIGNEE     = data.azurerm_client_config.deployer.object_id
      CONTAINER_ID = local.artifacts_container_id
      ACCOUNT      = azurerm_storage_account.artifacts[0].name
      CONTAINER    = azurerm_storage_container.artifacts[0].name
      BLOB         = local.jar_blob
      FILE         = local.jar_file
    }
  }
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
  health_path    = local.demo_health_path
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
  meshctl_jar_url                  = local.jar_url
  meshctl_jar_sha256               = local.jar_sha256
  meshctl_jar_private              = local.upload_jar
  meshctl_jar_storage_container_id = local.artifacts_container_id
  mesh_config                      = file("${path.module}/mesh.yaml")
  xds_port                         = local.xds_port
  status_port                      = local.status_port
  ssh_public_key                   = var.ssh_public_key
  tags                             = var.tags

  # The replicas boot once the jar is there (they would retry, but not past 15 minutes).
  depends_on = [terraform_data.meshctl_upload]
}

module "edge" {
  source                 = "../../modules/envoy-lb"
  name_prefix            = var.name_prefix
  location               = var.location
  resource_group_name    = module.network.resource_group_name
  subnet_id              = module.network.edge_subnet_id
  instance_count         = var.edge_count
  zones                  = local.zones
  xds_host               = module.control_plane.frontend_ip
  xds_port               = module.control_plane.xds_port
  xds_ca_certificate_pem = module.control_plane.xds_ca_certificate_pem
  xds_api                = var.xds_api
  ssh_public_key         = var.ssh_public_key
  tags                   = var.tags
}
