package io.azmesh.discovery.azure.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the events in one Storage queue message. Event Grid's Storage queue handler writes one
 * event per message as JSON, in the Event Grid schema or CloudEvents 1.0 (whichever the
 * subscription delivers), and has written it both as plain text and base64-encoded over the years;
 * both are accepted, and so is a JSON array of events.
 */
final class EventMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventMessages() {}

  /** The events in {@code text}; fails saying why when it holds none. */
  static List<ChangeEvent> parse(String text) throws NotAnEventException {
    String json = decode(text == null ? "" : text.strip());
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new NotAnEventException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new NotAnEventException("empty message");
    }
    List<ChangeEvent> events = new ArrayList<>();
    if (root.isArray()) {
      if (root.isEmpty()) {
        throw new NotAnEventException("an empty JSON array");
      }
      for (JsonNode node : root) {
        events.add(event(node));
      }
    } else {
      events.add(event(root));
    }
    return events;
  }

  /** JSON as it is, else base64 of JSON. */
  private static String decode(String text) throws NotAnEventException {
    if (text.isEmpty()) {
      throw new NotAnEventException("empty message");
    }
    char first = text.charAt(0);
    if (first == '{' || first == '[') {
      return text;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8).strip();
      if (!decoded.startsWith("{") && !decoded.startsWith("[")) {
        throw new NotAnEventException("base64 of something that is not JSON");
      }
      return decoded;
    } catch (IllegalArgumentException e) {
      throw new NotAnEventException("neither JSON nor base64-encoded JSON");
    }
  }

  private static ChangeEvent event(JsonNode node) throws NotAnEventException {
    if (!node.isObject()) {
      throw new NotAnEventException(
          "a JSON " + node.getNodeType().name().toLowerCase() + ", not an event object");
    }
    if (node.hasNonNull("specversion")) {
      String version = node.get("specversion").asText();
      if (!version.equals("1.0")) {
        throw new NotAnEventException("CloudEvents specversion '" + version + "', expected 1.0");
      }
      return new ChangeEvent(
          text(node, "id"), text(node, "type"), text(node, "subject"), time(node, "time"));
    }
    if (node.hasNonNull("eventType")) {
      return new ChangeEvent(
          text(node, "id"),
          text(node, "eventType"),
          text(node, "subject"),
          time(node, "eventTime"));
    }
    throw new NotAnEventException(
        "neither the Event Grid schema (eventType) nor CloudEvents 1.0 (specversion)");
  }

  private static String text(JsonNode node, String field) throws NotAnEventException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new NotAnEventException("the event has no " + field);
    }
    return value.asText();
  }

  private static Optional<Instant> time(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
    } catch (DateTimeParseException e) {
      // The time only lets a replay be skipped; an event without one still counts.
      return Optional.empty();
    }
  }
}
