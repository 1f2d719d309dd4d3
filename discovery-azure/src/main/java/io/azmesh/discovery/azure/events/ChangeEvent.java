package io.azmesh.discovery.azure.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One resource event as Event Grid delivers it, in either schema: the Event Grid schema's {@code
 * id}, {@code eventType}, {@code subject}, {@code eventTime}, or CloudEvents 1.0's {@code id},
 * {@code type}, {@code subject}, {@code time}.
 *
 * @param id the event's id, the same on every delivery of it
 * @param type e.g. {@code Microsoft.Resources.ResourceWriteSuccess}
 * @param subject the ARM resource id the operation was on
 * @param time when the operation happened, when the event says
 */
record ChangeEvent(String id, String type, String subject, Optional<Instant> time) {

  /** The resource event types a resource group or subscription system topic emits that matter. */
  static final java.util.Set<String> RESOURCE_CHANGES =
      java.util.Set.of(
          "Microsoft.Resources.ResourceWriteSuccess",
          "Microsoft.Resources.ResourceDeleteSuccess",
          "Microsoft.Resources.ResourceActionSuccess");

  ChangeEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(time, "time");
  }

  /** Whether the event says a resource was written, deleted or acted on (started, stopped...). */
  boolean isResourceChange() {
    return RESOURCE_CHANGES.contains(type);
  }
}
