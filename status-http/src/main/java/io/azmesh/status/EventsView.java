package io.azmesh.status;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.MeshEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /api/events}: what happened, oldest first, like {@code kubectl get events}.
 *
 * @param firstSequence the oldest event the control plane still keeps, 0 when it keeps none; a
 *     reader that last saw a sequence below {@code first_sequence - 1} missed events
 * @param lastSequence the newest event recorded, whatever the filter, 0 before the first; ask for
 *     {@code since=last_sequence} next time to get only what is new
 * @param events the events that match the query, oldest first
 */
public record EventsView(long firstSequence, long lastSequence, List<Event> events) {

  public EventsView {
    events = List.copyOf(events);
  }

  /**
   * One event.
   *
   * @param kind the kind's label, e.g. {@code instance-draining}
   * @param severity {@code normal} or {@code warning}
   * @param subject an instance id, a service, a node id or the provider name
   * @param service the service it concerns, null if none
   * @param reason why, in words
   */
  public record Event(
      long sequence,
      Instant at,
      String kind,
      String severity,
      String subject,
      String service,
      String reason) {
    public Event {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(reason, "reason");
    }

    static Event of(MeshEvent event) {
      return new Event(
          event.sequence(),
          event.at(),
          event.kind().label(),
          Label.of(event.kind().severity()),
          event.subject(),
          event.service().orElse(null),
          event.reason());
    }
  }

  /** The events of {@code state} that {@code query} asks for. */
  static EventsView of(MeshState state, EventQuery query) {
    // All kept events, so first and last sequence describe the log, not the filtered answer.
    List<MeshEvent> kept = state.events(0);
    long first = kept.isEmpty() ? 0 : kept.get(0).sequence();
    long last = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).sequence();
    List<Event> matching = kept.stream().filter(query::matches).map(Event::of).toList();
    if (query.limit().isPresent() && matching.size() > query.limit().getAsInt()) {
      matching = matching.subList(matching.size() - query.limit().getAsInt(), matching.size());
    }
    return new EventsView(first, last, matching);
  }
}
