locals {
  xds_port     = 18000
  status_port  = 8080
  demo_service = "demo"
  demo_port    = 8080
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

module "backends" {
  source         = "../../modules/backend-vms"
  name_prefix    = var.name_prefix
  location       = var.location
  subnet_id      = module.network.backends_subnet_id
  instance_count = var.backend_count
  service_name   = local.demo_service
  service_port   = local.demo_port
  ssh_public_key = var.ssh_public_key
  tags           = var.tags
}

module "control_plane" {
  source                      = "../../modules/control-plane"
  name_prefix                 = var.name_prefix
  location                    = var.location
  resource_group_name         = module.network.resource_group_name
  subnet_id                   = module.network.control_plane_subnet_id
  private_ip_address          = cidrhost(module.network.control_plane_subnet_cidr, 10)
  discovery_resource_group_id = module.backends.resource_group_id
  meshctl_jar_url             = var.meshctl_jar_url
  meshctl_jar_sha256          = var.meshctl_jar_sha256
  xds_port                    = local.xds_port
  status_port                 = local.status_port
  ssh_public_key              = var.ssh_public_key
  tags                        = var.tags
}

module "edge" {
  source              = "../../modules/envoy-lb"
  name_prefix         = var.name_prefix
  location            = var.location
  resource_group_name = module.network.resource_group_name
  subnet_id           = module.network.edge_subnet_id
  instance_count      = var.edge_count
  xds_host            = module.control_plane.private_ip
  xds_port            = module.control_plane.xds_port
  ssh_public_key      = var.ssh_public_key
  tags                = var.tags
}
