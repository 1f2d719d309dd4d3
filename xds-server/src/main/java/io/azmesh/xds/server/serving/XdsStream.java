package io.azmesh.xds.server.serving;

import io.azmesh.xds.server.serving.NodeStatus.Nack;
import io.azmesh.xds.server.serving.NodeStatus.SyncState;
import io.azmesh.xds.server.serving.NodeStatus.TypeStatus;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One xDS stream, state of the world or delta, ADS or a single type: its subscriptions, what its
 * client holds, and the responses it is due.
 *
 * <p>Everything about a stream is guarded by the stream itself, and no code holding it takes
 * another lock of ours: requests are handled and responses computed under it; a publish only wakes
 * the stream, and the response is computed on the fan-out executor from the newest snapshot.
 * Responses go out only while gRPC says the transport is ready.
 *
 * @param <Q> the request message
 * @param <R> the response message
 */
abstract class XdsStream<Q, R> implements StreamObserver<Q> {
  private static final Logger LOG = LoggerFactory.getLogger(XdsStream.class);

  final long id;
  final ServingCache cache;
  private final ServerCallStreamObserver<R> out;
  private final Optional<XdsType> onlyType;
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  final Instant openedAt;

  private final Map<XdsType, StreamType> types = new EnumMap<>(XdsType.class);
  private Node node;
  private long nonces;
  private Instant closedAt;
  private Instant staleSince;
  private boolean staleReported;

  XdsStream(long id, ServingCache cache, StreamObserver<R> out, Optional<XdsType> onlyType) {
    this.id = id;
    this.cache = cache;
    this.out = (ServerCallStreamObserver<R>) out;
    this.onlyType = onlyType;
    this.openedAt = cache.now();
    this.out.setOnReadyHandler(this::wake);
    this.out.setOnCancelHandler(this::close);
  }

  /** Handles one request: node, ACK or NACK, subscription changes. Runs under the lock. */
  abstract void handle(Q request);

  /** Sends what the client of {@code type} is due from {@code snapshot}, if anything. */
  abstract void respond(StreamType type, ServingSnapshot snapshot);

  @Override
  public final void onNext(Q request) {
    synchronized (this) {
      if (closedAt != null) {
        return;
      }
      handle(request);
      drain();
    }
  }

  @Override
  public final void onError(Throwable error) {
    close();
  }

  @Override
  public final void onCompleted() {
    synchronized (this) {
      if (closedAt == null) {
        try {
          out.onCompleted();
        } catch (RuntimeException e) {
          LOG.debug("stream {} was already closed", id, e);
        }
      }
    }
    close();
  }

  /** Computes this stream's responses soon, on the fan-out executor; cheap and lock-free. */
  final void wake() {
    if (wakeScheduled.compareAndSet(false, true)) {
      try {
        cache.fanout().execute(this::wakeNow);
      } catch (RejectedExecutionException e) {
        wakeScheduled.set(false);
      }
    }
  }

  private void wakeNow() {
    wakeScheduled.set(false);
    synchronized (this) {
      drain();
    }
  }

  /** Responds for every type that is due, as long as the transport takes more. */
  private void drain() {
    if (closedAt != null) {
      return;
    }
    ServingSnapshot snapshot = cache.current();
    try {
      for (StreamType type : types.values()) {
        if (!out.isReady()) {
          // gRPC calls the ready handler when it is, and this runs again.
          return;
        }
        if (type.inFlightNonce == null
            && type.behind(snapshot.generation())
            && mayRespond(type, snapshot.generation())) {
          respond(type, snapshot);
        }
      }
    } catch (RuntimeException e) {
      // One stream's failure to send ends that stream, never the fan-out to the others.
      LOG.debug("xDS stream {} failed to send; closing it", id, e);
      try {
        out.onError(Status.INTERNAL.withDescription("cannot send: " + e).asRuntimeException());
      } catch (RuntimeException closed) {
        LOG.trace("stream {} was already closed", id, closed);
      }
      cache.fanout().execute(this::close);
    }
  }

  /**
   * Notes a request's node and its answer to the in-flight response of its type; the state of that
   * type, or empty for a type this server does not serve (counted under one label, never its URL).
   */
  final Optional<StreamType> received(
      Node requestNode, String typeUrl, String nonce, Optional<com.google.rpc.Status> error) {
    see(requestNode);
    Optional<XdsType> type = typeOf(typeUrl);
    if (type.isEmpty()) {
      cache.unknownType();
      return Optional.empty();
    }
    StreamType state = type(type.get());
    answer(state, nonce, error.map(com.google.rpc.Status::getMessage));
    return Optional.of(state);
  }

  /**
   * Sends a response built with its nonce (unique within the stream, which is all xDS asks) and
   * returns the nonce; the caller notes the response as in flight.
   */
  final String send(Function<String, R> withNonce) {
    String nonce = Long.toString(++nonces);
    out.onNext(withNonce.apply(nonce));
    return nonce;
  }

  /** The state of a type, its subscription made on first use. */
  private StreamType type(XdsType type) {
    return types.computeIfAbsent(type, StreamType::new);
  }

  /** The type a request is about; a single-type stream may leave it out. */
  private Optional<XdsType> typeOf(String typeUrl) {
    if (onlyType.isPresent() && (typeUrl.isEmpty() || onlyType.get().typeUrl().equals(typeUrl))) {
      return onlyType;
    }
    return XdsType.of(typeUrl);
  }

  /** Envoy may send its node on a stream's first request only; the first one seen is kept. */
  private void see(Node requestNode) {
    if (node == null && !requestNode.getId().isEmpty()) {
      node = requestNode;
      cache.connected(this, requestNode.getId(), userAgent(requestNode));
    }
  }

  /**
   * Notes the client's answer to the in-flight response of {@code type}, if this is one. A request
   * whose nonce is not that of the latest response of its type (written before the client read it,
   * or a delta subscription change, which carries none) answers nothing: the response stays in
   * flight, and the client's ACK or NACK of it is still to come.
   */
  private void answer(StreamType type, String nonce, Optional<String> error) {
    if (type.inFlightNonce == null || !nonce.equals(type.inFlightNonce)) {
      return;
    }
    if (error.isPresent()) {
      String version = type.inFlightVersion();
      type.nacked(new Nack(version, nonce, error.get(), cache.now()));
      cache.nacked(this, nodeId(), type.type, version, error.get());
    } else {
      String version = type.acked();
      cache.acked(type.type);
      if (!version.equals(type.ackedVersion)) {
        cache.changeAcked(type.type, version, openedAt);
      }
      type.ackedVersion = version;
    }
  }

  /**
   * Notes that {@code updated} resources of {@code type} were sent: the resources they refer to (a
   * Cluster's endpoints, a Listener's routes) are sent on the client's next request for them.
   */
  final void warm(XdsType type, Iterable<ServedResource> updated) {
    Optional<XdsType> dependent = type.dependent();
    if (dependent.isEmpty()) {
      return;
    }
    StreamType state = types.get(dependent.get());
    if (state == null) {
      return;
    }
    for (ServedResource resource : updated) {
      for (String name : resource.warms()) {
        if (state.names.contains(name)) {
          state.warming.add(name);
        }
      }
    }
  }

  /**
   * Make before break, on an ADS stream: a Listener or RouteConfiguration goes out only once the
   * Clusters and assignments of the same snapshot are sent and answered, so it never refers to a
   * cluster the client does not have yet.
   */
  private boolean mayRespond(StreamType type, long generation) {
    if (onlyType.isPresent() || !type.type.refersToClusters()) {
      return true;
    }
    for (XdsType before : XdsType.CLUSTER_TYPES) {
      StreamType state = types.get(before);
      if (state == null || !state.requested) {
        continue;
      }
      if (state.inFlightNonce != null || (state.behind(generation) && !state.heldBack)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a response that only removes Clusters or assignments must wait, on an ADS stream, for
   * the Listeners and RouteConfigurations that may refer to them: break after make.
   */
  final boolean removalMustWait(long generation) {
    if (onlyType.isPresent()) {
      return false;
    }
    for (StreamType state : types.values()) {
      if (state.requested
          && state.type.refersToClusters()
          && (state.inFlightNonce != null || state.behind(generation))) {
        return true;
      }
    }
    return false;
  }

  final String nodeId() {
    return node == null ? "" : node.getId();
  }

  final void close() {
    synchronized (this) {
      if (closedAt != null) {
        return;
      }
      closedAt = cache.now();
    }
    cache.closed(this);
  }

  /**
   * Notes whether the stream is STALE now; true once, when it has been for {@code staleAfter}, so
   * that a stuck proxy is reported once, not on every check.
   */
  final synchronized boolean staleFor(long generation, Instant now, java.time.Duration staleAfter) {
    boolean stale =
        node != null
            && closedAt == null
            && types.values().stream()
                .anyMatch(t -> t.requested && t.sync(generation) == SyncState.STALE);
    if (!stale) {
      staleSince = null;
      staleReported = false;
      return false;
    }
    if (staleSince == null) {
      staleSince = now;
    }
    if (!staleReported && !now.isBefore(staleSince.plus(staleAfter))) {
      staleReported = true;
      return true;
    }
    return false;
  }

  /** The stream's status as of {@code generation}; empty until the client named its node. */
  final synchronized Optional<NodeStatus> status(long generation) {
    if (node == null) {
      return Optional.empty();
    }
    Map<String, TypeStatus> statuses = new TreeMap<>();
    SyncState sync = SyncState.SYNCED;
    for (StreamType type : types.values()) {
      if (!type.requested) {
        continue;
      }
      statuses.put(type.type.label(), type.status());
      SyncState state = type.sync(generation);
      sync = state.compareTo(sync) > 0 ? state : sync;
    }
    return Optional.of(
        new NodeStatus(
            node.getId(),
            node.getCluster(),
            locality(node),
            userAgent(node),
            closedAt == null ? Optional.of(openedAt) : Optional.empty(),
            statuses,
            sync));
  }

  private static Optional<String> locality(Node node) {
    if (!node.hasLocality()) {
      return Optional.empty();
    }
    String joined =
        Stream.of(
                node.getLocality().getRegion(),
                node.getLocality().getZone(),
                node.getLocality().getSubZone())
            .filter(part -> !part.isEmpty())
            .collect(Collectors.joining("/"));
    return joined.isEmpty() ? Optional.empty() : Optional.of(joined);
  }

  static String userAgent(Node node) {
    String version = node.getUserAgentVersion();
    if (version.isEmpty() && node.hasUserAgentBuildVersion()) {
      var semantic = node.getUserAgentBuildVersion().getVersion();
      version =
          semantic.getMajorNumber() + "." + semantic.getMinorNumber() + "." + semantic.getPatch();
    }
    String agent = (node.getUserAgentName() + " " + version).trim();
    return agent.isEmpty() ? "unknown" : agent;
  }
}
