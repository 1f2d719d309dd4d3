package io.azmesh.status;

import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.serving.NodeStatus;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.xds.XdsNameResolverProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxyless gRPC client of a control plane: grpc-java's own xDS client resolving {@code
 * xds:///service}, bootstrapped in-process; its own scheme gives it its own xDS client.
 */
record ProxylessClient(ControlPlane controlPlane, String nodeId, ManagedChannel channel)
    implements AutoCloseable {

  private static final AtomicInteger SCHEMES = new AtomicInteger();

  /** Connects as node {@code nodeId} of cluster {@code status-tests} and starts resolving. */
  static ProxylessClient connect(ControlPlane controlPlane, String service, String nodeId) {
    String scheme = "statustest" + SCHEMES.incrementAndGet();
    Map<String, ?> bootstrap =
        Map.of(
            "xds_servers",
            List.of(
                Map.of(
                    "server_uri", "127.0.0.1:" + controlPlane.port(),
                    "channel_creds", List.of(Map.of("type", "insecure")),
                    "server_features", List.of("xds_v3"))),
            "node",
            Map.of(
                "id",
                nodeId,
                "cluster",
                "status-tests",
                "locality",
                Map.of("region", "test", "zone", "1")));
    @SuppressWarnings("deprecation") // the supported way to give a resolver its own bootstrap
    ManagedChannel channel =
        Grpc.newChannelBuilder(scheme + ":///" + service, InsecureChannelCredentials.create())
            .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap))
            .build();
    channel.getState(true);
    return new ProxylessClient(controlPlane, nodeId, channel);
  }

  /** Waits until this client ACKed the published endpoints, and so everything before them. */
  void awaitSynced() {
    String endpoints = controlPlane.published().orElseThrow().resources().versions().endpoints();
    Await.until(
        Duration.ofSeconds(30),
        () ->
            controlPlane.nodes().stream()
                .anyMatch(
                    n ->
                        n.nodeId().equals(nodeId)
                            && n.sync() == NodeStatus.SyncState.SYNCED
                            && n.types().containsKey("endpoints")
                            && n.types()
                                .get("endpoints")
                                .ackedVersion()
                                .filter(endpoints::equals)
                                .isPresent()),
        nodeId + " to ACK endpoints " + endpoints);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
