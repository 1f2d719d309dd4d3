package io.azmesh.discovery.azure.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Event Grid resource events as a resource group system topic emits them for operations through
 * ARM, in the shape of the documented samples ("Azure resource group as an Event Grid source"): the
 * Event Grid schema or CloudEvents 1.0, as plain JSON or base64 as the Storage queue handler may
 * write them.
 *
 * @param type {@code Microsoft.Resources.ResourceWriteSuccess}, {@code ...DeleteSuccess} or {@code
 *     ...ActionSuccess}
 * @param subject the ARM resource id the operation was on
 * @param operation the operation, e.g. {@code Microsoft.Compute/virtualMachines/deallocate/action}
 * @param id the event id
 * @param time when the operation happened
 */
public record ResourceEvents(
    String type, String subject, String operation, String id, Instant time) {

  public static final String WRITE = "Microsoft.Resources.ResourceWriteSuccess";
  public static final String DELETE = "Microsoft.Resources.ResourceDeleteSuccess";
  public static final String ACTION = "Microsoft.Resources.ResourceActionSuccess";

  public ResourceEvents {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
  }

  /** A VM written (created, updated, retagged) now. */
  public static ResourceEvents written(String resourceId) {
    return of(WRITE, resourceId, "Microsoft.Compute/virtualMachines/write");
  }

  /** A VM deleted now. */
  public static ResourceEvents deleted(String resourceId) {
    return of(DELETE, resourceId, "Microsoft.Compute/virtualMachines/delete");
  }

  /**
   * An action on a VM now: {@code start}, {@code deallocate}, {@code powerOff}, {@code restart}.
   */
  public static ResourceEvents action(String resourceId, String action) {
    return of(ACTION, resourceId, "Microsoft.Compute/virtualMachines/" + action + "/action");
  }

  public static ResourceEvents of(String type, String resourceId, String operation) {
    return new ResourceEvents(
        type, resourceId, operation, UUID.randomUUID().toString(), Instant.now());
  }

  public ResourceEvents at(Instant time) {
    return new ResourceEvents(type, subject, operation, id, time);
  }

  public ResourceEvents withId(String id) {
    return new ResourceEvents(type, subject, operation, id, time);
  }

  /** The Event Grid schema, as plain JSON. */
  public String eventGridSchema() {
    return fill("event-grid-schema.json");
  }

  /** CloudEvents 1.0, as plain JSON. */
  public String cloudEventsSchema() {
    return fill("cloudevents-schema.json");
  }

  /** {@code text} base64-encoded, as the queue handler may write a message. */
  public static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private String fill(String template) {
    String[] parts = subject.split("/");
    String subscription = parts.length > 2 ? parts[2] : "";
    String topic =
        parts.length > 4
            ? String.join("/", parts[0], parts[1], parts[2], parts[3], parts[4])
            : subject;
    String method =
        switch (type) {
          case DELETE -> "DELETE";
          case ACTION -> "POST";
          default -> "PUT";
        };
    Map<String, String> values =
        Map.of(
            "subject", subject,
            "type", type,
            "time", time.toString(),
            "id", id,
            "operation", operation,
            "method", method,
            "subscription", subscription,
            "topic", topic);
    String text = read(template);
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace("${" + value.getKey() + "}", value.getValue());
    }
    return text;
  }

  private static String read(String template) {
    try (InputStream in = ResourceEvents.class.getResourceAsStream("event-grid/" + template)) {
      if (in == null) {
        throw new IllegalStateException("no template event-grid/" + template);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
