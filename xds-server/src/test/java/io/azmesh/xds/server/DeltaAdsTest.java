package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.XdsVersions;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.NodeStatus;
import io.azmesh.xds.server.serving.ServingMetrics;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.server.serving.XdsType;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
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
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delta ADS seen through a raw stream: only what changed is sent, and nothing rejected twice. */
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

  private final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private StreamObserver<DeltaDiscoveryRequest> requests;

  private static List<Instance> twoServices(int... extraAlphaPorts) {
    List<Instance> instances = new ArrayList<>();
    instances.add(vm("a-1", "alpha", 9001));
    instances.add(vm("a-2", "alpha", 9002));
    for (int port : extraAlphaPorts) {
      instances.add(vm("a-" + port, "alpha", port));
    }
    instances.add(vm("b-1", "beta", 9101));
    instances.add(vm("b-2", "beta", 9102));
    return instances;
  }

  /** Starts the control plane and a delta ADS stream subscribed to both services' endpoints. */
  private DeltaDiscoveryResponse subscribe() throws InterruptedException {
    provider.set(twoServices());
    plane =
        ControlPlane.builder(provider, MeshConfig.defaults())
            .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
            .loop(
                ControlLoopConfig.builder()
                    .refreshInterval(Duration.ofMinutes(10))
                    .changeCoalescing(Duration.ZERO)
                    .drainPeriod(Duration.ofMinutes(1))
                    .build())
            .meterRegistry(registry)
            .start();
    Await.until(Duration.ofSeconds(10), () -> plane.published().isPresent(), "first publish");
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + plane.port(), InsecureChannelCredentials.create())
            .build();
    requests =
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
            .setTypeUrl(XdsType.ENDPOINTS.typeUrl())
            .addResourceNamesSubscribe("alpha")
            .addResourceNamesSubscribe("beta")
            .build());
    DeltaDiscoveryResponse initial = responses.poll(10, TimeUnit.SECONDS);
    assertThat(initial.getResourcesList())
        .extracting(Resource::getName)
        .containsOnly("alpha", "beta");
    return initial;
  }

  private void reply(DeltaDiscoveryResponse response, Optional<String> error) {
    DeltaDiscoveryRequest.Builder reply =
        DeltaDiscoveryRequest.newBuilder()
            .setNode(NODE)
            .setTypeUrl(XdsType.ENDPOINTS.typeUrl())
            .setResponseNonce(response.getNonce());
    error.ifPresent(e -> reply.setErrorDetail(Status.newBuilder().setMessage(e)));
    requests.onNext(reply.build());
  }

  @Test
  void deltaAds_oneEndpointChangeSendsOnlyThatAssignment() throws Exception {
    DeltaDiscoveryResponse initial = subscribe();
    XdsVersions before = plane.published().orElseThrow().resources().versions();
    reply(initial, Optional.empty());

    provider.set(twoServices(9003));
    DeltaDiscoveryResponse update = responses.poll(10, TimeUnit.SECONDS);

    assertThat(update.getResourcesList()).extracting(Resource::getName).containsExactly("alpha");
    assertThat(update.getRemovedResourcesList()).isEmpty();
    ClusterLoadAssignment alpha =
        update.getResources(0).getResource().unpack(ClusterLoadAssignment.class);
    assertThat(
            alpha.getEndpointsList().stream()
                .flatMap(locality -> locality.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue()))
        .containsExactly(9001, 9002, 9003);
    XdsVersions after = plane.published().orElseThrow().resources().versions();
    assertThat(after.clusters()).isEqualTo(before.clusters());
    assertThat(after.listeners()).isEqualTo(before.listeners());
    assertThat(after.endpointsByCluster().get("beta"))
        .isEqualTo(before.endpointsByCluster().get("beta"));
    // The status API's per-cluster version is the one a delta client holds for that assignment.
    assertThat(update.getResources(0).getVersion())
        .isEqualTo(
            XdsResources.of(List.of(), List.of(alpha), List.of(), List.of())
                .versions()
                .endpointsByCluster()
                .get("alpha"));

    reply(update, Optional.empty());
    // A delta ACK is timed like a state-of-the-world one: the change came while it was connected.
    Timer changeToAck = registry.get(ServingMetrics.CHANGE_TO_ACK).tag("type", "endpoints").timer();
    Await.until(Duration.ofSeconds(10), () -> changeToAck.count() == 1, "the ACK to be timed");
    assertThat(registry.get(ServingMetrics.ACKS).tag("type", "endpoints").counter().count())
        .isEqualTo(2.0);
    requests.onCompleted();
  }

  @Test
  void deltaAds_nackedVersionIsNotSentAgainAndItsResourcesGoWithTheNextChange() throws Exception {
    DeltaDiscoveryResponse initial = subscribe();

    reply(initial, Optional.of("endpoints rejected for the test"));
    // Publish only once the server has the NACK: a NACK that arrives after a newer publish
    // rightly gets every resource again, since the client accepted none of the rejected ones.
    Await.until(
        Duration.ofSeconds(10),
        () ->
            plane.nodes().stream().anyMatch(n -> n.types().get("endpoints").lastNack().isPresent()),
        "the NACK to be recorded");
    provider.set(twoServices(9003));
    Await.until(
        Duration.ofSeconds(10),
        () ->
            !plane
                .published()
                .orElseThrow()
                .resources()
                .versions()
                .endpoints()
                .equals(initial.getSystemVersionInfo()),
        "the change to be published");
    DeltaDiscoveryResponse next = responses.poll(10, TimeUnit.SECONDS);

    // Without the hold, the next response would be the rejected version again, at once.
    assertThat(next.getSystemVersionInfo())
        .isNotEqualTo(initial.getSystemVersionInfo())
        .isEqualTo(plane.published().orElseThrow().resources().versions().endpoints());
    // A NACKed response delivered nothing: the one that changed since and the one that did not
    // are both still owed (XdsProtocolConformanceTest has the rule).
    assertThat(next.getResourcesList())
        .extracting(Resource::getName)
        .containsExactly("alpha", "beta");
    NodeStatus node = plane.nodes().get(0);
    assertThat(node.types().get("endpoints").lastNack().orElseThrow().errorDetail())
        .isEqualTo("endpoints rejected for the test");
    requests.onCompleted();
  }
}
