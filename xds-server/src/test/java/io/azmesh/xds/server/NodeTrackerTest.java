package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.azmesh.xds.server.NodeStatus.Nack;
import io.azmesh.xds.server.NodeStatus.SyncState;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.BuildVersion;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.type.v3.SemanticVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeTrackerTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Node GRPC =
      Node.newBuilder()
          .setId("client-1")
          .setCluster("web")
          .setUserAgentName("gRPC Java")
          .setUserAgentVersion("1.85.1")
          .setLocality(Locality.newBuilder().setRegion("westeurope").setZone("2"))
          .build();

  private final MutableClock clock = new MutableClock(START);
  private final RejectedVersions rejected = new RejectedVersions();
  private final AtomicReference<Snapshot> published = new AtomicReference<>();
  private final NodeTracker tracker =
      new NodeTracker(
          clock, Duration.ofMinutes(5), rejected, node -> Optional.ofNullable(published.get()));

  private static Snapshot clustersAt(String version) {
    return Snapshot.create(
        List.of(), version, List.of(), "e", List.of(), "l", List.of(), "r", List.of(), "s");
  }

  private void send(long stream, String version, String nonce) {
    tracker.onV3StreamResponse(
        stream,
        DiscoveryRequest.getDefaultInstance(),
        DiscoveryResponse.newBuilder()
            .setTypeUrl(CDS)
            .setVersionInfo(version)
            .setNonce(nonce)
            .build());
  }

  private static DiscoveryRequest ack(String version, String nonce) {
    return DiscoveryRequest.newBuilder()
        .setNode(GRPC)
        .setTypeUrl(CDS)
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .build();
  }

  private NodeStatus only() {
    List<NodeStatus> nodes = tracker.nodes();
    assertThat(nodes).hasSize(1);
    return nodes.get(0);
  }

  @Test
  void nodes_ackOfPublishedVersionIsSynced() {
    published.set(clustersAt("v1"));
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(1, ack("", ""));
    send(1, "v1", "0");
    tracker.onV3StreamRequest(1, ack("v1", "0"));

    NodeStatus node = only();

    assertThat(node.sync()).isEqualTo(SyncState.SYNCED);
    assertThat(node.nodeId()).isEqualTo("client-1");
    assertThat(node.cluster()).isEqualTo("web");
    assertThat(node.userAgent()).isEqualTo("gRPC Java 1.85.1");
    assertThat(node.locality()).contains("westeurope/2");
    assertThat(node.connectedSince()).contains(START);
    assertThat(node.types().get("clusters"))
        .isEqualTo(
            new NodeStatus.TypeStatus(Optional.of("v1"), Optional.of("v1"), Optional.empty()));
  }

  @Test
  void nodes_sentButNotAckedIsStale() {
    published.set(clustersAt("v1"));
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(1, ack("", ""));
    send(1, "v1", "0");

    assertThat(only().sync()).isEqualTo(SyncState.STALE);
  }

  @Test
  void nodes_ackedButNewerPublishedIsStale() {
    published.set(clustersAt("v1"));
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(1, ack("", ""));
    send(1, "v1", "0");
    tracker.onV3StreamRequest(1, ack("v1", "0"));
    published.set(clustersAt("v2"));

    assertThat(only().sync()).isEqualTo(SyncState.STALE);
  }

  @Test
  void nodes_nackOfLatestIsRecordedAndHandedToTheWatch() {
    published.set(clustersAt("v2"));
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(1, ack("", ""));
    send(1, "v1", "0");
    tracker.onV3StreamRequest(1, ack("v1", "0"));
    send(1, "v2", "1");
    clock.advance(Duration.ofSeconds(3));
    DiscoveryRequest nack =
        ack("v1", "1").toBuilder()
            .setErrorDetail(Status.newBuilder().setMessage("Unsupported lb policy: MAGLEV"))
            .build();

    tracker.onV3StreamRequest(1, nack);

    NodeStatus node = only();
    assertThat(node.sync()).isEqualTo(SyncState.NACKED);
    assertThat(node.types().get("clusters").ackedVersion()).contains("v1");
    assertThat(node.types().get("clusters").lastNack())
        .contains(new Nack("v2", "1", "Unsupported lb policy: MAGLEV", START.plusSeconds(3)));
    assertThat(tracker.nacksReceived()).isEqualTo(1);
    assertThat(rejected.take(nack)).contains("v2");
    assertThat(rejected.take(nack)).isEmpty();
  }

  @Test
  void nodes_envoyBuildVersionIsItsUserAgent() {
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(
        1,
        DiscoveryRequest.newBuilder()
            .setNode(
                Node.newBuilder()
                    .setId("envoy-1")
                    .setUserAgentName("envoy")
                    .setUserAgentBuildVersion(
                        BuildVersion.newBuilder()
                            .setVersion(
                                SemanticVersion.newBuilder()
                                    .setMajorNumber(1)
                                    .setMinorNumber(31)
                                    .setPatch(2))))
            .setTypeUrl(CDS)
            .build());

    NodeStatus node = only();

    assertThat(node.userAgent()).isEqualTo("envoy 1.31.2");
    assertThat(node.locality()).isEmpty();
  }

  @Test
  void nodes_closedStreamIsShownDisconnectedThenForgotten() {
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(1, ack("", ""));
    tracker.onStreamClose(1, "");

    assertThat(only().connectedSince()).isEmpty();

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(tracker.nodes()).isEmpty();
  }

  @Test
  void nodes_reconnectedNodeShowsItsOpenStream() {
    tracker.onStreamOpen(1, "");
    tracker.onV3StreamRequest(1, ack("", ""));
    tracker.onStreamCloseWithError(1, "", new IllegalStateException("reset"));
    clock.advance(Duration.ofSeconds(1));
    tracker.onStreamOpen(2, "");
    tracker.onV3StreamRequest(2, ack("", ""));

    assertThat(only().connectedSince()).contains(START.plusSeconds(1));
  }
}
