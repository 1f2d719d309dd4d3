package io.azmesh.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Channels that resolve {@code xds:///<service>} through grpc-java's own xDS client. */
final class XdsChannels {
  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private XdsChannels() {}

  /**
   * A channel with its own xDS client (grpc-java shares clients per target, so each channel gets a
   * scheme of its own), bootstrapped to the control plane on 127.0.0.1:{@code xdsPort}.
   */
  static ManagedChannel open(String service, int xdsPort, String nodeId) {
    String scheme = "meshctltest" + SCHEMES.incrementAndGet();
    Map<String, ?> bootstrap =
        Map.of(
            "xds_servers",
            List.of(
                Map.of(
                    "server_uri", "127.0.0.1:" + xdsPort,
                    "channel_creds", List.of(Map.of("type", "insecure")),
                    "server_features", List.of("xds_v3"))),
            "node",
            Map.of("id", nodeId, "cluster", "tests", "locality", Map.of("zone", "1")));
    @SuppressWarnings("deprecation") // grpc-java's way to give one resolver its own bootstrap
    ManagedChannel channel =
        Grpc.newChannelBuilder(scheme + ":///" + service, InsecureChannelCredentials.create())
            .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap))
            .build();
    return channel;
  }
}
