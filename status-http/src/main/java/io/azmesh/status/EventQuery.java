package io.azmesh.status;

import io.azmesh.xds.server.loop.MeshEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code GET /api/events} was asked for: events after a sequence, optionally of one kind, of
 * one service, and only the newest {@code limit} of them.
 *
 * @param since only events with a greater sequence; 0 for every event kept
 * @param kind only events of this kind
 * @param service only events whose {@code service} is this one
 * @param limit only the newest this many of the events that match
 */
record EventQuery(
    long since, Optional<MeshEvent.Kind> kind, Optional<String> service, OptionalInt limit) {

  static final String SINCE = "since";
  static final String KIND = "kind";
  static final String SERVICE = "service";
  static final String LIMIT = "limit";

  private static final Set<String> PARAMETERS = Set.of(SINCE, KIND, SERVICE, LIMIT);

  EventQuery {
    if (since < 0) {
      throw new IllegalArgumentException("since (" + since + ") must not be negative");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(limit, "limit");
    if (limit.isPresent() && limit.getAsInt() < 1) {
      throw new IllegalArgumentException("limit (" + limit.getAsInt() + ") must be positive");
    }
  }

  /** Every event kept. */
  static EventQuery all() {
    return new EventQuery(0, Optional.empty(), Optional.empty(), OptionalInt.empty());
  }

  /**
   * Reads a query string's parameters; a value that is not one this endpoint understands fails with
   * a message naming the parameter and the value.
   */
  static EventQuery parse(Map<String, List<String>> parameters) {
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      if (!PARAMETERS.contains(parameter.getKey())) {
        throw new IllegalArgumentException(
            "unknown query parameter '"
                + parameter.getKey()
                + "'; /api/events takes since, kind, service and limit");
      }
      if (parameter.getValue().size() > 1) {
        throw new IllegalArgumentException(
            "query parameter "
                + parameter.getKey()
                + " is given "
                + parameter.getValue().size()
                + " times; give it once");
      }
    }
    Optional<String> since = single(parameters, SINCE);
    Optional<String> kind = single(parameters, KIND);
    Optional<String> service = single(parameters, SERVICE);
    Optional<String> limit = single(parameters, LIMIT);
    return new EventQuery(
        since.map(EventQuery::sequence).orElse(0L),
        kind.map(EventQuery::kind),
        service.map(EventQuery::service),
        limit.map(l -> OptionalInt.of(limit(l))).orElse(OptionalInt.empty()));
  }

  /** Whether {@code event} is one this query asks for, {@link #limit} aside. */
  boolean matches(MeshEvent event) {
    return event.sequence() > since
        && kind.map(k -> k == event.kind()).orElse(true)
        && service.map(s -> event.service().filter(s::equals).isPresent()).orElse(true);
  }

  private static Optional<String> single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static long sequence(String value) {
    try {
      long sequence = Long.parseLong(value);
      if (sequence >= 0) {
        return sequence;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(
        "query parameter since is '" + value + "', not an event sequence number (0 or more)");
  }

  private static MeshEvent.Kind kind(String value) {
    return Arrays.stream(MeshEvent.Kind.values())
        .filter(k -> k.label().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "query parameter kind is '"
                        + value
                        + "', not one of "
                        + Arrays.stream(MeshEvent.Kind.values())
                            .map(MeshEvent.Kind::label)
                            .collect(Collectors.joining(", "))));
  }

  private static String service(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("query parameter service is empty; name a service");
    }
    return value;
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(
        "query parameter limit is '" + value + "', not a positive whole number");
  }
}
