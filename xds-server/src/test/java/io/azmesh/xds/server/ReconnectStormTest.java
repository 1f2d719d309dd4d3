package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reconnect storm: 1,000 proxies whose streams each close and reopen 10 times. What the control
 * plane keeps of closed streams and of proxy events stays within its caps, and the control loop's
 * own events are still there afterwards.
 */
class ReconnectStormTest {
  private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  private static final int PROXIES = 1_000;
  private static final int RECONNECTS = 10;
  private static final int CLOSED_LIMIT = 200;
  private static final int EVENT_CAPACITY = 100;

  @Test
  void storm_closedStreamStatusesAndProxyEventsStayWithinTheirCapsAndLoopEventsStay()
      throws Exception {
    TestProvider provider = new TestProvider(Clock.systemUTC());
    provider.set(
        List.of(
            Instance.builder("vm-1", "vm-1", "10.0.0.1")
                .tags(Map.of("mesh-service", "api", "mesh-port", "8080"))
                .build()));
    try (ControlPlane plane =
        ControlPlane.builder(provider, MeshConfig.defaults())
            .server(
                XdsServerConfig.builder()
                    .bindAddress("127.0.0.1")
                    .port(0)
                    .shutdownGrace(Duration.ofMillis(200))
                    .closedStreamLimit(CLOSED_LIMIT)
                    .build())
            .loop(ControlLoopConfig.builder().refreshInterval(Duration.ofMinutes(10)).build())
            .eventCapacity(EVENT_CAPACITY)
            .start()) {
      Await.until(
          Duration.ofSeconds(30),
          () ->
              plane.events(0).stream().anyMatch(e -> e.kind() == MeshEvent.Kind.SNAPSHOT_PUBLISHED),
          "a first publish");
      List<MeshEvent> loopEventsBefore =
          plane.events(0).stream().filter(e -> !isProxyEvent(e)).toList();
      ManagedChannel channel =
          Grpc.newChannelBuilder("127.0.0.1:" + plane.port(), InsecureChannelCredentials.create())
              .build();
      try {
        for (int round = 0; round < RECONNECTS; round++) {
          storm(channel);
        }
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      long expectedProxyEvents = 2L * PROXIES * RECONNECTS;
      Await.until(
          Duration.ofSeconds(60),
          () -> lastSequence(plane) >= expectedProxyEvents + loopEventsBefore.size(),
          "every connect and disconnect recorded");

      assertThat(plane.server().nodes()).hasSizeLessThanOrEqualTo(CLOSED_LIMIT);
      List<MeshEvent> events = plane.events(0);
      assertThat(events.stream().filter(ReconnectStormTest::isProxyEvent).count())
          .isEqualTo(EVENT_CAPACITY);
      assertThat(events.stream().filter(e -> !isProxyEvent(e)).toList())
          .isEqualTo(loopEventsBefore);
      assertThat(loopEventsBefore)
          .extracting(MeshEvent::kind)
          .contains(MeshEvent.Kind.SNAPSHOT_PUBLISHED, MeshEvent.Kind.SERVICE_APPEARED);
    }
  }

  /** Opens a stream per proxy, waits until each is answered, then cancels them all. */
  private static void storm(ManagedChannel channel) throws InterruptedException {
    CountDownLatch answered = new CountDownLatch(PROXIES);
    List<ClientCallStreamObserver<DiscoveryRequest>> streams = new ArrayList<>();
    for (int proxy = 0; proxy < PROXIES; proxy++) {
      ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> observer =
          new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requests) {
              synchronized (streams) {
                streams.add(requests);
              }
            }

            @Override
            public void onNext(DiscoveryResponse response) {
              answered.countDown();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          };
      var requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(observer);
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(Node.newBuilder().setId("proxy-" + proxy).setCluster("storm"))
              .setTypeUrl(CDS)
              .build());
    }
    if (!answered.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError(answered.getCount() + " streams were not answered within 60 s");
    }
    synchronized (streams) {
      streams.forEach(s -> s.cancel("reconnecting", null));
    }
  }

  private static boolean isProxyEvent(MeshEvent event) {
    return event.kind().label().startsWith("proxy-");
  }

  private static long lastSequence(ControlPlane plane) {
    List<MeshEvent> events = plane.events(0);
    return events.isEmpty() ? 0 : events.get(events.size() - 1).sequence();
  }
}
