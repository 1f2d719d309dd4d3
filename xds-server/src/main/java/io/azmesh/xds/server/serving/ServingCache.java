package io.azmesh.xds.server.serving;

import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving cache: the snapshot every stream is served, the streams, and the fan-out from one to
 * the other.
 *
 * <p>A publish builds the next immutable {@link ServingSnapshot} (packing only the resources that
 * changed), swaps it in and wakes every stream; each stream then computes its own response on the
 * fan-out executor, from whatever snapshot is newest when it runs. The control loop never waits for
 * a client, and nothing here holds one lock while taking another.
 */
final class ServingCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingCache.class);

  private final Clock clock;
  private final Duration retention;
  private final Duration staleAfter;
  private final ServingMetrics metrics;
  private final ChangeTimes changes;
  private final List<ProxyEventListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService fanout;
  private final AtomicLong streamIds = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();
  private final Map<Long, XdsStream<?, ?>> open = new ConcurrentHashMap<>();
  private final int closedLimit;
  // In the order streams closed; guarded by itself.
  private final java.util.LinkedHashMap<Long, Closed> closed = new java.util.LinkedHashMap<>();
  private volatile ServingSnapshot current = ServingSnapshot.NONE;

  /** A stream's last status, kept for the retention period after it closed. */
  private record Closed(NodeStatus status, Instant at) {}

  ServingCache(Clock clock, Duration retention, ServingMetrics metrics, ChangeTimes changes) {
    this(clock, retention, Duration.ofSeconds(30), metrics, changes);
  }

  ServingCache(
      Clock clock,
      Duration retention,
      Duration staleAfter,
      ServingMetrics metrics,
      ChangeTimes changes) {
    this(clock, retention, staleAfter, 1_000, metrics, changes);
  }

  ServingCache(
      Clock clock,
      Duration retention,
      Duration staleAfter,
      int closedLimit,
      ServingMetrics metrics,
      ChangeTimes changes) {
    this.closedLimit = closedLimit;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.changes = Objects.requireNonNull(changes, "changes");
    AtomicInteger threads = new AtomicInteger();
    int size = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.fanout =
        Executors.newFixedThreadPool(
            size,
            task -> {
              Thread thread = new Thread(task, "azmesh-xds-fanout-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Serves {@code resources} from now on and wakes every stream; returns without waiting. */
  void publish(XdsResources resources, Instant changeSeenAt) {
    // Noted first, so an ACK that races the publish finds when its change was seen.
    changes.published(resources.versions(), changeSeenAt);
    synchronized (this) {
      current = current.next(resources);
    }
    for (XdsStream<?, ?> stream : open.values()) {
      stream.wake();
    }
  }

  /** Adds a listener that receives every proxy event from now on. */
  void subscribe(ProxyEventListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void emit(ProxyEvent.Kind kind, String nodeId, String detail) {
    ProxyEvent event = new ProxyEvent(kind, nodeId, detail);
    for (ProxyEventListener listener : listeners) {
      try {
        listener.on(event);
      } catch (RuntimeException e) {
        LOG.warn("a proxy event listener failed on {} {}", kind, nodeId, e);
      }
    }
  }

  ServingSnapshot current() {
    return current;
  }

  ExecutorService fanout() {
    return fanout;
  }

  Instant now() {
    return clock.instant();
  }

  StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest> openSotw(
      StreamObserver<DiscoveryResponse> out, Optional<XdsType> onlyType) {
    return opened(new SotwStream(streamIds.incrementAndGet(), this, out, onlyType));
  }

  StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest> openDelta(
      StreamObserver<DeltaDiscoveryResponse> out, Optional<XdsType> onlyType) {
    return opened(new DeltaStream(streamIds.incrementAndGet(), this, out, onlyType));
  }

  private <S extends XdsStream<?, ?>> S opened(S stream) {
    forgetClosedBefore(now().minus(retention));
    open.put(stream.id, stream);
    return stream;
  }

  void connected(XdsStream<?, ?> stream, String nodeId, String userAgent) {
    emit(ProxyEvent.Kind.CONNECTED, nodeId, "stream " + stream.id + " opened by " + userAgent);
  }

  /** Called once, after the stream's own lock is released. */
  void closed(XdsStream<?, ?> stream) {
    open.remove(stream.id);
    Optional<NodeStatus> status = stream.status(current.generation());
    status.ifPresent(
        s -> {
          synchronized (closed) {
            closed.put(stream.id, new Closed(s, now()));
            // The oldest first: a reconnect storm keeps the newest statuses within the limit.
            var oldest = closed.entrySet().iterator();
            while (closed.size() > closedLimit && oldest.hasNext()) {
              oldest.next();
              oldest.remove();
            }
          }
          emit(ProxyEvent.Kind.DISCONNECTED, s.nodeId(), "stream " + stream.id + " closed");
        });
  }

  void acked(XdsType type) {
    metrics.acked(type.label());
  }

  /**
   * Times an ACK of a new version from when the loop saw its change; only if the change came while
   * the stream was open: a node that connects later measures its connection, not how fast changes
   * spread.
   */
  void changeAcked(XdsType type, String version, Instant streamOpenedAt) {
    Instant now = now();
    changes
        .seen(type, version)
        .filter(seenAt -> !seenAt.isBefore(streamOpenedAt))
        .ifPresent(
            seenAt -> metrics.changeAcked(type.label(), positive(Duration.between(seenAt, now))));
  }

  void nacked(XdsStream<?, ?> stream, String nodeId, XdsType type, String version, String error) {
    nacks.incrementAndGet();
    metrics.nacked(type.label());
    emit(
        ProxyEvent.Kind.NACKED,
        nodeId,
        type.label() + " version " + version + " rejected: " + error);
  }

  void sent(XdsType type, int resources) {
    metrics.sent(type.label(), resources);
  }

  /** A request for a type this server does not serve: counted under one label, never its URL. */
  void unknownType() {
    metrics.unknownType();
  }

  /**
   * Records a {@code proxy-stale} event for every stream that has been STALE for {@code
   * staleAfter}: a proxy that stopped answering, or one the transport does not take responses for.
   */
  void reportStale() {
    long generation = current.generation();
    Instant now = now();
    for (XdsStream<?, ?> stream : open.values()) {
      if (stream.staleFor(generation, now, staleAfter)) {
        emit(
            ProxyEvent.Kind.STALE,
            stream.nodeId(),
            "stream " + stream.id + " has not taken what is published for " + staleAfter);
      }
    }
  }

  long nacksReceived() {
    return nacks.get();
  }

  long streamsOpen() {
    return open.size();
  }

  /**
   * One status per stream, open or closed within the retention period, sorted by node id and then
   * by when the stream opened (closed ones first).
   */
  List<NodeStatus> nodes() {
    forgetClosedBefore(now().minus(retention));
    long generation = current.generation();
    List<NodeStatus> statuses = new ArrayList<>();
    synchronized (closed) {
      for (Closed c : closed.values()) {
        statuses.add(c.status());
      }
    }
    for (XdsStream<?, ?> stream : open.values()) {
      stream.status(generation).ifPresent(statuses::add);
    }
    // Sorted after copying: the copies do not change while they are compared.
    statuses.sort(
        Comparator.comparing(NodeStatus::nodeId)
            .thenComparing(s -> s.connectedSince().orElse(Instant.MIN)));
    return List.copyOf(statuses);
  }

  private void forgetClosedBefore(Instant cutoff) {
    synchronized (closed) {
      closed.values().removeIf(c -> c.at().isBefore(cutoff));
    }
  }

  /** Forgets closed streams past the retention period; run on a timer, so a quiet server does. */
  void pruneClosed() {
    forgetClosedBefore(now().minus(retention));
  }

  /** How many closed streams' statuses are kept now. */
  int closedKept() {
    synchronized (closed) {
      return closed.size();
    }
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  @Override
  public void close() {
    fanout.shutdownNow();
    try {
      fanout.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
