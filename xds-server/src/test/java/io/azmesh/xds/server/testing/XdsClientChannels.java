package io.azmesh.xds.server.testing;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Channels that resolve {@code xds:///<service>} through grpc-java's own xDS client, bootstrapped
 * in-process to a control plane on 127.0.0.1.
 */
public final class XdsClientChannels {
  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private XdsClientChannels() {}

  /**
   * Opens a channel to the service. Each channel gets its own scheme, so its own xDS client:
   * grpc-java shares xDS clients per target.
   */
  public static ManagedChannel open(String service, int xdsPort, String nodeId) {
    String scheme = "xdstest" + SCHEMES.incrementAndGet();
    Map<String, ?> bootstrap =
        Map.of(
            "xds_servers",
            List.of(
                Map.of(
                    "server_uri", "127.0.0.1:" + xdsPort,
                    "channel_creds", List.of(Map.of("type", "insecure")),
                    "server_features", List.of("xds_v3"))),
            "node",
            Map.of("id", nodeId, "cluster", "test-clients", "locality", Map.of("zone", "1")));
    @SuppressWarnings("deprecation") // the supported way to give a resolver its own bootstrap
    ManagedChannel channel =
        Grpc.newChannelBuilder(scheme + ":///" + service, InsecureChannelCredentials.create())
            .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap))
            .build();
    return channel;
  }

  /** Waits until a call through {@code channel} succeeds: xDS resolved and an endpoint serves. */
  public static void awaitFirstCall(ManagedChannel channel, java.time.Duration wait) {
    Await.until(
        wait,
        () -> {
          try {
            io.grpc.health.v1.HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(1, java.util.concurrent.TimeUnit.SECONDS)
                .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
            return true;
          } catch (RuntimeException e) {
            return false;
          }
        },
        "a first successful call through xDS");
  }
}
