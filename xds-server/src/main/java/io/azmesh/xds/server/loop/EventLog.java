package io.azmesh.xds.server.loop;

import io.azmesh.xds.server.serving.ProxyEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent history of {@link MeshEvent}s, bounded: the oldest are dropped once it holds {@code
 * capacity}. Recording an event also logs it, so serve's log and the history say the same thing.
 *
 * <p>Thread-safe; recording takes only this log's own lock and never calls out while holding it.
 */
public final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.azmesh.events");

  /** The default number of events kept. */
  public static final int DEFAULT_CAPACITY = 1_000;

  /**
   * A line per proxy connection or per instance would flood a fleet's log (a first discovery of
   * 10,000 VMs is 10,000 events); {@code --verbose} shows them, and the history keeps them all.
   */
  private static final Set<MeshEvent.Kind> PER_CONNECTION =
      EnumSet.of(
          MeshEvent.Kind.PROXY_CONNECTED,
          MeshEvent.Kind.PROXY_DISCONNECTED,
          MeshEvent.Kind.INSTANCE_ADDED,
          MeshEvent.Kind.INSTANCE_DRAINING,
          MeshEvent.Kind.INSTANCE_RESTORED,
          MeshEvent.Kind.INSTANCE_REMOVED);

  private final Clock clock;
  private final int capacity;
  private final Deque<MeshEvent> events = new ArrayDeque<>();
  private long lastSequence;

  public EventLog(Clock clock, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity (" + capacity + ") must be positive");
    }
    this.capacity = capacity;
  }

  /** Records an event now, logs it, and returns it. */
  public MeshEvent record(
      MeshEvent.Kind kind, String subject, Optional<String> service, String reason) {
    MeshEvent event;
    synchronized (this) {
      event = new MeshEvent(++lastSequence, clock.instant(), kind, subject, service, reason);
      events.addLast(event);
      if (events.size() > capacity) {
        events.removeFirst();
      }
    }
    if (PER_CONNECTION.contains(kind)) {
      LOG.debug("{} {}{}: {}", kind.label(), subject, inService(service), reason);
    } else if (kind.severity() == MeshEvent.Severity.WARNING) {
      LOG.warn("{} {}{}: {}", kind.label(), subject, inService(service), reason);
    } else {
      LOG.info("{} {}{}: {}", kind.label(), subject, inService(service), reason);
    }
    return event;
  }

  /** Records what a proxy's stream did, under the matching {@code proxy-*} kind. */
  public MeshEvent record(ProxyEvent event) {
    MeshEvent.Kind kind =
        switch (event.kind()) {
          case CONNECTED -> MeshEvent.Kind.PROXY_CONNECTED;
          case DISCONNECTED -> MeshEvent.Kind.PROXY_DISCONNECTED;
          case NACKED -> MeshEvent.Kind.PROXY_NACKED;
          case STALE -> MeshEvent.Kind.PROXY_STALE;
        };
    return record(kind, event.nodeId(), Optional.empty(), event.detail());
  }

  private static String inService(Optional<String> service) {
    return service.map(s -> " (service " + s + ")").orElse("");
  }

  /** The sequence number of the newest event; 0 when there is none. */
  public synchronized long lastSequence() {
    return lastSequence;
  }

  /** The events after {@code sequence}, oldest first; 0 gives every event kept. */
  public synchronized List<MeshEvent> since(long sequence) {
    List<MeshEvent> after = new ArrayList<>();
    for (MeshEvent event : events) {
      if (event.sequence() > sequence) {
        after.add(event);
      }
    }
    return List.copyOf(after);
  }

  /**
   * Puts back events kept from before a restart, oldest first, and continues numbering after the
   * last of them; only for a log that has recorded nothing yet.
   */
  public synchronized void restore(List<MeshEvent> kept) {
    if (lastSequence != 0) {
      throw new IllegalStateException("restore is only for a new log; it holds " + lastSequence);
    }
    for (MeshEvent event : kept) {
      events.addLast(event);
      lastSequence = Math.max(lastSequence, event.sequence());
      if (events.size() > capacity) {
        events.removeFirst();
      }
    }
  }

  public int capacity() {
    return capacity;
  }
}
