# Event-driven discovery (docs/decisions/0014): Azure Resource Manager's events for the backends'
# resource group go through an Event Grid system topic to one Storage queue per replica, and each
# replica's `meshctl serve --change-queue` refreshes at once on a VM, scale set or scale-set VM
# event. Off unless change_events_storage_account_name is set; the periodic refresh reconciles
# either way (5 min with a queue, 30 s without).

variable "change_events_storage_account_name" {
  type        = string
  description = "Name of a new storage account (3-24 lowercase letters and digits, globally unique) for the change queues, one per replica, and their dead-letter container; null (the default) leaves event-driven discovery off."
  default     = null

  validation {
    condition     = var.change_events_storage_account_name == null || can(regex("^[a-z0-9]{3,24}$", var.change_events_storage_account_name))
    error_message = "change_events_storage_account_name must be 3-24 lowercase letters and digits, e.g. \"azmeshevents01\", or null."
  }
}

locals {
  change_events    = var.change_events_storage_account_name != null
  change_queues    = local.change_events ? var.replica_count : 0
  discovery_rg     = local.discovery_scope[4]
  compute_subjects = "${var.discovery_resource_group_id}/providers/Microsoft.Compute/"

  # Each replica reads its own queue: a queue message is delivered to one reader only.
  change_queue_args = [for i in range(var.replica_count) : local.change_events ? " --change-queue https://${var.change_events_storage_account_name}.queue.core.windows.net/replica-${i}" : ""]
}

# Entra ID only: no shared keys, no public blobs. Event Grid and the replicas use their identities.
resource "azurerm_storage_account" "change_events" {
  count                           = local.change_events ? 1 : 0
  name                            = var.change_events_storage_account_name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_storage_queue" "change_events" {
  count              = local.change_queues
  name               = "replica-${count.index}"
  storage_account_id = azurerm_storage_account.change_events[0].id
}

# Events Event Grid could not deliver after its retries land here, not nowhere.
resource "azurerm_storage_container" "change_events_dead_letter" {
  count                 = local.change_events ? 1 : 0
  name                  = "dead-letter"
  storage_account_id    = azurerm_storage_account.change_events[0].id
  container_access_type = "private"
}

# The resource group's own system topic: "Global", and in the group it watches.
resource "azurerm_eventgrid_system_topic" "backends" {
  count               = local.change_events ? 1 : 0
  name                = "${var.name_prefix}-backends-events"
  resource_group_name = local.discovery_rg
  location            = "Global"
  source_resource_id  = var.discovery_resource_group_id
  topic_type          = "Microsoft.Resources.ResourceGroups"
  tags                = var.tags

  identity {
    type = "SystemAssigned"
  }
}

# Delivery with the topic's identity: it may add messages to the queues and nothing more.
resource "azurerm_role_assignment" "change_events_sender" {
  count                = local.change_queues
  scope                = azurerm_storage_queue.change_events[count.index].resource_manager_id
  role_definition_name = "Storage Queue Data Message Sender"
  principal_id         = azurerm_eventgrid_system_topic.backends[0].identity[0].principal_id
  principal_type       = "ServicePrincipal"
}

# Dead-lettering with the same identity: writing blobs in the dead-letter container only.
resource "azurerm_role_assignment" "change_events_dead_letter" {
  count                = local.change_events ? 1 : 0
  scope                = azurerm_storage_container.change_events_dead_letter[0].id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_eventgrid_system_topic.backends[0].identity[0].principal_id
  principal_type       = "ServicePrincipal"
}

# The replicas read (peek, receive, delete) messages on the queues and nothing else. They share
# one identity, so each could read every queue; each is configured with its own.
resource "azurerm_role_assignment" "change_events_processor" {
  count                = local.change_queues
  scope                = azurerm_storage_queue.change_events[count.index].resource_manager_id
  role_definition_name = "Storage Queue Data Message Processor"
  principal_id         = azurerm_user_assigned_identity.control_plane.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_eventgrid_system_topic_event_subscription" "replica" {
  count               = local.change_queues
  name                = "${var.name_prefix}-replica-${count.index}"
  system_topic        = azurerm_eventgrid_system_topic.backends[0].name
  resource_group_name = local.discovery_rg

  # Only what moves an endpoint: writes (create, update, tags), deletes and actions (start,
  # deallocate, powerOff, restart), on Microsoft.Compute resources of the group.
  included_event_types = [
    "Microsoft.Resources.ResourceWriteSuccess",
    "Microsoft.Resources.ResourceDeleteSuccess",
    "Microsoft.Resources.ResourceActionSuccess",
  ]
  event_delivery_schema = "EventGridSchema"

  subject_filter {
    subject_begins_with = local.compute_subjects
    case_sensitive      = false
  }

  delivery_identity {
    type = "SystemAssigned"
  }

  storage_queue_endpoint {
    storage_account_id = azurerm_storage_account.change_events[0].id
    queue_name         = azurerm_storage_queue.change_events[count.index].name
    # An event older than an hour is stale: the periodic refresh has seen its change since.
    queue_message_time_to_live_in_seconds = 3600
  }

  dead_letter_identity {
    type = "SystemAssigned"
  }

  storage_blob_dead_letter_destination {
    storage_account_id          = azurerm_storage_account.change_events[0].id
    storage_blob_container_name = azurerm_storage_container.change_events_dead_letter[0].name
  }

  retry_policy {
    max_delivery_attempts = 30
    event_time_to_live    = 60
  }

  # Event Grid checks its access to the queue when the subscription is created.
  depends_on = [azurerm_role_assignment.change_events_sender, azurerm_role_assignment.change_events_dead_letter]
}

output "change_queue_urls" {
  description = "Each replica's change queue URL (its meshctl serve --change-queue), in replica_names order; [] when event-driven discovery is off."
  value       = [for q in azurerm_storage_queue.change_events : "https://${var.change_events_storage_account_name}.queue.core.windows.net/${q.name}"]
}
