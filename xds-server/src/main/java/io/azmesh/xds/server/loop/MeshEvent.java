package io.azmesh.xds.server.loop;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened in the control plane, kept in the {@link EventLog} so operators can see
 * what changed, when and why.
 *
 * @param sequence increases by one with every event, starting at 1; a reader asks for what came
 *     after the last sequence it saw
 * @param at when it happened
 * @param kind what happened
 * @param subject what it happened to: an instance id, a service, a node id, the provider name, or
 *     the mesh configuration's file
 * @param service the service it concerns, if one
 * @param reason why, in words an operator reads (a cause, an error text, the versions published)
 */
public record MeshEvent(
    long sequence, Instant at, Kind kind, String subject, Optional<String> service, String reason) {

  public MeshEvent {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence (" + sequence + ") must be positive");
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(reason, "reason");
  }

  /** What happened; the {@link Severity} says how an operator should read it. */
  public enum Kind {
    INSTANCE_ADDED(Severity.NORMAL),
    INSTANCE_DRAINING(Severity.NORMAL),
    INSTANCE_RESTORED(Severity.NORMAL),
    INSTANCE_REMOVED(Severity.NORMAL),
    SERVICE_APPEARED(Severity.NORMAL),
    SERVICE_EMPTIED(Severity.WARNING),
    SERVICE_REMOVED(Severity.NORMAL),
    REMOVAL_HELD(Severity.WARNING),
    REMOVAL_RELEASED(Severity.NORMAL),
    SNAPSHOT_PUBLISHED(Severity.NORMAL),
    SNAPSHOT_REJECTED(Severity.WARNING),
    CONFIG_RELOADED(Severity.NORMAL),
    CONFIG_REJECTED(Severity.WARNING),
    DISCOVERY_FAILED(Severity.WARNING),
    DISCOVERY_RECOVERED(Severity.NORMAL),
    CHANGE_FEED_FAILING(Severity.WARNING),
    CHANGE_FEED_READING(Severity.NORMAL),
    PROXY_CONNECTED(Severity.NORMAL),
    PROXY_DISCONNECTED(Severity.NORMAL),
    PROXY_NACKED(Severity.WARNING),
    PROXY_STALE(Severity.WARNING);

    private final Severity severity;

    Kind(Severity severity) {
      this.severity = severity;
    }

    public Severity severity() {
      return severity;
    }

    /** The kind's name as the API and the CLI print it, e.g. {@code instance-draining}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** Whether an event is routine or asks for attention, like Kubernetes' Normal and Warning. */
  public enum Severity {
    NORMAL,
    WARNING
  }
}
