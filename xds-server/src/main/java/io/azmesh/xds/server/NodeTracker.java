package io.azmesh.xds.server;

import io.azmesh.xds.server.NodeStatus.Nack;
import io.azmesh.xds.server.NodeStatus.SyncState;
import io.azmesh.xds.server.NodeStatus.TypeStatus;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows every xDS stream: who the node is, what was sent, what it ACKed and what it NACKed.
 *
 * <p>Callbacks run on gRPC threads, one stream's callbacks in order; each stream's record is
 * guarded by itself.
 */
final class NodeTracker implements DiscoveryServerCallbacks {
  /** Nonces remembered per type, enough to match a late ACK to what it acknowledges. */
  private static final int REMEMBERED_NONCES = 16;

  private static final Map<String, String> TYPE_LABELS =
      Map.of(
          Resources.V3.CLUSTER_TYPE_URL, "clusters",
          Resources.V3.ENDPOINT_TYPE_URL, "endpoints",
          Resources.V3.LISTENER_TYPE_URL, "listeners",
          Resources.V3.ROUTE_TYPE_URL, "routes",
          Resources.V3.SECRET_TYPE_URL, "secrets");

  private final Clock clock;
  private final Duration retention;
  private final RejectedVersions rejected;
  private final Function<Node, Optional<Snapshot>> published;
  private final Map<Long, StreamRecord> streams = new ConcurrentHashMap<>();
  private final AtomicLong nacks = new AtomicLong();

  NodeTracker(
      Clock clock,
      Duration retention,
      RejectedVersions rejected,
      Function<Node, Optional<Snapshot>> published) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.rejected = Objects.requireNonNull(rejected, "rejected");
    this.published = Objects.requireNonNull(published, "published");
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    Instant now = clock.instant();
    // Also pruned here, so a server nobody asks for status does not keep every closed stream.
    forgetClosedBefore(now.minus(retention));
    streams.put(streamId, new StreamRecord(typeUrl, now));
  }

  private void forgetClosedBefore(Instant cutoff) {
    streams.values().removeIf(s -> s.closedAt != null && s.closedAt.isBefore(cutoff));
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    StreamRecord stream = stream(streamId);
    synchronized (stream) {
      stream.see(request.getNode());
      if (request.getResponseNonce().isEmpty()) {
        return;
      }
      TypeRecord type = stream.type(request.getTypeUrl());
      String nonce = request.getResponseNonce();
      if (request.hasErrorDetail()) {
        String version = type.versionOf(nonce).orElse(request.getVersionInfo());
        type.lastNack =
            new Nack(version, nonce, request.getErrorDetail().getMessage(), clock.instant());
        nacks.incrementAndGet();
        if (nonce.equals(type.sentNonce)) {
          rejected.put(request, type.sentVersion);
        }
      } else if (type.versionOf(nonce).isPresent()) {
        type.ackedVersion = request.getVersionInfo();
      }
    }
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    StreamRecord stream = stream(streamId);
    synchronized (stream) {
      stream.type(response.getTypeUrl()).sent(response.getVersionInfo(), response.getNonce());
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    StreamRecord stream = stream(streamId);
    synchronized (stream) {
      stream.see(request.getNode());
      if (request.getResponseNonce().isEmpty()) {
        return;
      }
      TypeRecord type = stream.type(request.getTypeUrl());
      String nonce = request.getResponseNonce();
      Optional<String> version = type.versionOf(nonce);
      if (request.hasErrorDetail()) {
        type.lastNack =
            new Nack(
                version.orElse(""), nonce, request.getErrorDetail().getMessage(), clock.instant());
        nacks.incrementAndGet();
      } else {
        version.ifPresent(v -> type.ackedVersion = v);
      }
    }
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    StreamRecord stream = stream(streamId);
    synchronized (stream) {
      stream.type(response.getTypeUrl()).sent(response.getSystemVersionInfo(), response.getNonce());
    }
  }

  /** NACKs received since start, from all nodes. */
  long nacksReceived() {
    return nacks.get();
  }

  /** One status per node id, its newest stream; streams closed longer than retention are gone. */
  List<NodeStatus> nodes() {
    forgetClosedBefore(clock.instant().minus(retention));
    Map<String, NodeStatus> byNode = new TreeMap<>();
    List<StreamRecord> newestLast =
        streams.values().stream()
            .sorted(
                Comparator.comparing((StreamRecord s) -> s.closedAt == null)
                    .thenComparing(s -> s.openedAt))
            .toList();
    for (StreamRecord stream : newestLast) {
      synchronized (stream) {
        if (stream.node != null) {
          byNode.put(stream.node.getId(), status(stream));
        }
      }
    }
    return List.copyOf(byNode.values());
  }

  private NodeStatus status(StreamRecord stream) {
    Node node = stream.node;
    Optional<Snapshot> snapshot = published.apply(node);
    Map<String, TypeStatus> types = new TreeMap<>();
    SyncState sync = SyncState.SYNCED;
    for (Map.Entry<String, TypeRecord> entry : stream.types.entrySet()) {
      TypeRecord type = entry.getValue();
      types.put(label(entry.getKey()), type.status());
      Optional<String> current = snapshot.map(s -> s.version(entry.getKey()));
      sync = worst(sync, type.sync(current));
    }
    return new NodeStatus(
        node.getId(),
        node.getCluster(),
        locality(node),
        userAgent(node),
        stream.closedAt == null ? Optional.of(stream.openedAt) : Optional.empty(),
        types,
        sync);
  }

  private static SyncState worst(SyncState a, SyncState b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String label(String typeUrl) {
    return TYPE_LABELS.getOrDefault(typeUrl, typeUrl);
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

  private static String userAgent(Node node) {
    String version = node.getUserAgentVersion();
    if (version.isEmpty() && node.hasUserAgentBuildVersion()) {
      var semantic = node.getUserAgentBuildVersion().getVersion();
      version =
          semantic.getMajorNumber() + "." + semantic.getMinorNumber() + "." + semantic.getPatch();
    }
    String agent = (node.getUserAgentName() + " " + version).trim();
    return agent.isEmpty() ? "unknown" : agent;
  }

  private StreamRecord stream(long streamId) {
    return streams.computeIfAbsent(streamId, id -> new StreamRecord("", clock.instant()));
  }

  private void closed(long streamId) {
    StreamRecord stream = streams.get(streamId);
    if (stream != null) {
      synchronized (stream) {
        stream.closedAt = clock.instant();
      }
    }
  }

  /** One xDS stream. */
  private static final class StreamRecord {
    private final String defaultTypeUrl;
    private final Instant openedAt;
    private final Map<String, TypeRecord> types = new TreeMap<>();
    private Node node;
    private volatile Instant closedAt;

    StreamRecord(String defaultTypeUrl, Instant openedAt) {
      this.defaultTypeUrl = defaultTypeUrl;
      this.openedAt = openedAt;
    }

    /** Envoy may send the node only on a stream's first request; keep the first one seen. */
    void see(Node requestNode) {
      if (node == null && !requestNode.getId().isEmpty()) {
        node = requestNode;
      }
    }

    TypeRecord type(String typeUrl) {
      return types.computeIfAbsent(
          typeUrl.isEmpty() ? defaultTypeUrl : typeUrl, url -> new TypeRecord());
    }
  }

  /** One resource type on one stream. */
  private static final class TypeRecord {
    private final Map<String, String> versionsByNonce =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_NONCES;
          }
        };
    private String sentVersion;
    private String sentNonce;
    private String ackedVersion;
    private Nack lastNack;

    void sent(String version, String nonce) {
      sentVersion = version;
      sentNonce = nonce;
      versionsByNonce.put(nonce, version);
    }

    Optional<String> versionOf(String nonce) {
      return Optional.ofNullable(versionsByNonce.get(nonce));
    }

    TypeStatus status() {
      return new TypeStatus(
          Optional.ofNullable(sentVersion),
          Optional.ofNullable(ackedVersion),
          Optional.ofNullable(lastNack));
    }

    SyncState sync(Optional<String> publishedVersion) {
      boolean acked = sentVersion == null || sentVersion.equals(ackedVersion);
      if (!acked && lastNack != null && lastNack.version().equals(sentVersion)) {
        return SyncState.NACKED;
      }
      if (!acked) {
        return SyncState.STALE;
      }
      if (ackedVersion != null
          && publishedVersion.filter(v -> !v.equals(ackedVersion)).isPresent()) {
        return SyncState.STALE;
      }
      return SyncState.SYNCED;
    }
  }
}
