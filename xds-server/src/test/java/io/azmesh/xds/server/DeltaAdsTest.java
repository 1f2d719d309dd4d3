package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsVersions;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delta ADS seen through a raw stream: only what changed is sent. */
class DeltaAdsTest {
  private static final Node NODE = Node.newBuilder().setId("delta-client").setCluster("t").build();

  private final TestProvider provider = new TestProvider(Clock.systemUTC());
  private ControlPlane plane;
  private ManagedChannel channel;

  @AfterEach
  void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (plane != null) {
      plane.close();
    }
  }

  private static Instance vm(String name, String service, int port) {
    return Instance.builder(name, name, "10.0.0.1")
        .tags(Map.of("mesh-service", service, "mesh-port", String.valueOf(port)))
        .build();
  }

  @Test
  void deltaAds_oneEndpointChangeSendsOnlyThatAssignment() throws Exception {
    provider.set(
        List.of(
            vm("a-1", "alpha", 9001),
            vm("a-2", "alpha", 9002),
            vm("b-1", "beta", 9101),
            vm("b-2", "beta", 9102)));
    plane =
        ControlPlane.builder(provider, ProxylessTranslation.roundRobin())
            .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
            .loop(
                ControlLoopConfig.builder()
                    .refreshInterval(Duration.ofMinutes(10))
                    .changeCoalescing(Duration.ZERO)
                    .drainPeriod(Duration.ofMinutes(1))
                    .build())
            .start();
    Await.until(Duration.ofSeconds(10), () -> plane.published().isPresent(), "first publish");
    XdsVersions before = plane.published().orElseThrow().resources().versions();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + plane.port(), InsecureChannelCredentials.create())
            .build();
    BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<DeltaDiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .deltaAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeltaDiscoveryResponse response) {
                    responses.add(response);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(NODE)
            .setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL)
            .addResourceNamesSubscribe("alpha")
            .addResourceNamesSubscribe("beta")
            .build());
    DeltaDiscoveryResponse initial = responses.poll(10, TimeUnit.SECONDS);
    assertThat(initial.getResourcesList())
        .extracting(Resource::getName)
        .containsOnly("alpha", "beta");
    requests.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(NODE)
            .setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL)
            .setResponseNonce(initial.getNonce())
            .build());

    provider.set(
        List.of(
            vm("a-1", "alpha", 9001),
            vm("a-2", "alpha", 9002),
            vm("a-3", "alpha", 9003),
            vm("b-1", "beta", 9101),
            vm("b-2", "beta", 9102)));
    DeltaDiscoveryResponse update = responses.poll(10, TimeUnit.SECONDS);

    assertThat(update.getResourcesList()).extracting(Resource::getName).containsExactly("alpha");
    assertThat(update.getRemovedResourcesList()).isEmpty();
    ClusterLoadAssignment alpha =
        update.getResources(0).getResource().unpack(ClusterLoadAssignment.class);
    assertThat(alpha.getEndpoints(0).getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .containsExactly(9001, 9002, 9003);
    XdsVersions after = plane.published().orElseThrow().resources().versions();
    assertThat(after.clusters()).isEqualTo(before.clusters());
    assertThat(after.listeners()).isEqualTo(before.listeners());
    assertThat(after.endpointsByCluster().get("beta"))
        .isEqualTo(before.endpointsByCluster().get("beta"));
    requests.onCompleted();
  }
}
