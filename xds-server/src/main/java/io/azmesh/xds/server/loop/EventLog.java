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
 * capacity}. Proxy events ({@code proxy-*}) have a bound of their own, so a reconnect storm drops
 * old proxy events and never the control loop's own. Recording an event also logs it, so serve's
 * log and the history say the same thing.
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

  private static final Set<MeshEvent.Kind> PROXY =
      EnumSet.of(
          MeshEvent.Kind.PROXY_CONNECTED,
          MeshEvent.Kind.PROXY_DISCONNECTED,
          MeshEvent.Kind.PROXY_NACKED,
          MeshEvent.Kind.PROXY_STALE);

  private final Clock clock;
  private final int capacity;
  private final int proxyCapacity;
  private final Deque<MeshEvent> events = new ArrayDeque<>();
  private final Deque<MeshEvent> proxyEvents = new ArrayDeque<>();
  private long lastSequence;

  /** A log keeping {@code capacity} of the control loop's events and as many proxy events. */
  public EventLog(Clock clock, int capacity) {
    this(clock, capacity, capacity);
  }

  /**
   * A log keeping {@code capacity} of the control loop's events and {@code proxyCapacity} proxy
   * events ({@code proxy-connected}, {@code proxy-disconnected}, {@code proxy-nacked}, {@code
   * proxy-stale}).
   */
  public EventLog(Clock clock, int capacity, int proxyCapacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity (" + capacity + ") must be positive");
    }
    if (proxyCapacity < 1) {
      throw new IllegalArgumentException("proxyCapacity (" + proxyCapacity + ") must be positive");
    }
    this.capacity = capacity;
    this.proxyCapacity = proxyCapacity;
  }

  /** Keeps {@code event} in its own bounded queue. Called holding this log's lock. */
  private void keep(MeshEvent event) {
    if (PROXY.contains(event.kind())) {
      proxyEvents.addLast(event);
      if (proxyEvents.size() > proxyCapacity) {
        proxyEvents.removeFirst();
      }
    } else {
      events.addLast(event);
      if (events.size() > capacity) {
        events.removeFirst();
      }
    }
  }

  /** Records an event now, logs it, and returns it. */
  public MeshEvent record(
      MeshEvent.Kind kind, String subject, Optional<String> service, String reason) {
    MeshEvent event;
    synchronized (this) {
      event = new MeshEvent(++lastSequence, clock.instant(), kind, subject, service, reason);
      keep(event);
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
    // Both queues are in sequence order: merge them.
    java.util.Iterator<MeshEvent> loop = events.iterator();
    java.util.Iterator<MeshEvent> proxy = proxyEvents.iterator();
    MeshEvent a = next(loop, sequence);
    MeshEvent b = next(proxy, sequence);
    while (a != null || b != null) {
      if (b == null || (a != null && a.sequence() < b.sequence())) {
        after.add(a);
        a = next(loop, sequence);
      } else {
        after.add(b);
        b = next(proxy, sequence);
      }
    }
    return List.copyOf(after);
  }

  private static MeshEvent next(java.util.Iterator<MeshEvent> events, long after) {
    while (events.hasNext()) {
      MeshEvent event = events.next();
      if (event.sequence() > after) {
        return event;
      }
    }
    return null;
  }

  /** How many proxy events are kept now; at most {@link #proxyCapacity()}. */
  public synchronized int proxyEventsKept() {
    return proxyEvents.size();
  }

  /** How many of the control loop's events are kept now; at most {@link #capacity()}. */
  public synchronized int loopEventsKept() {
    return events.size();
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
      keep(event);
      lastSequence = Math.max(lastSequence, event.sequence());
    }
  }

  public int capacity() {
    return capacity;
  }

  public int proxyCapacity() {
    return proxyCapacity;
  }
}
