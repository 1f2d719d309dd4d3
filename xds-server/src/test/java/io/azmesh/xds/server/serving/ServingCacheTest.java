package io.azmesh.xds.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.RawAdsStream;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.Translator;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serving cache seen through raw ADS streams: what each response carries, for whom, and what is
 * never sent twice.
 */
class ServingCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Translator TRANSLATOR = new Translator();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private final List<ProxyEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

  private XdsServer server() {
    XdsServer server =
        XdsServer.start(
            XdsServerConfig.builder()
                .bindAddress("127.0.0.1")
                .port(0)
                .staleAfter(Duration.ofMillis(300))
                .build(),
            Clock.systemUTC(),
            ServingMetrics.on(registry),
            List.of(events::add));
    open.add(server);
    return server;
  }

  private <T extends AutoCloseable> T opened(T stream) {
    open.add(stream);
    return stream;
  }

  private static Instance vm(String name, String service, int port) {
    return Instance.builder(name, name, "10.0.0." + (port % 250))
        .tags(Map.of("mesh-service", service, "mesh-port", String.valueOf(port)))
        .build();
  }

  /** Services {@code alpha} (ports 9001, 9002 and {@code extra}) and {@code beta}. */
  private static XdsResources world(int... extraAlphaPorts) {
    List<Instance> instances = new ArrayList<>();
    instances.add(vm("a-1", "alpha", 9001));
    instances.add(vm("a-2", "alpha", 9002));
    for (int port : extraAlphaPorts) {
      instances.add(vm("a-" + port, "alpha", port));
    }
    instances.add(vm("b-1", "beta", 9101));
    return resources(instances);
  }

  private static XdsResources resources(List<Instance> instances) {
    return TRANSLATOR
        .translate(MeshConfig.defaults(), TranslationInput.of(instances, Set.of()))
        .resources();
  }

  private static List<String> names(DiscoveryResponse response) {
    return response.getResourcesList().stream()
        .map(
            any -> {
              try {
                return any.unpack(ClusterLoadAssignment.class).getClusterName();
              } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  private static List<Integer> ports(DiscoveryResponse response, int index) throws Exception {
    return response
        .getResources(index)
        .unpack(ClusterLoadAssignment.class)
        .getEndpointsList()
        .stream()
        .flatMap(locality -> locality.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .sorted()
        .toList();
  }

  @Test
  void sotw_singleEndpointChangeSendsOnlyThatAssignment() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "sotw"));
    List<String> both = List.of("alpha", "beta");
    stream.request(XdsType.ENDPOINTS, "", "", both);
    DiscoveryResponse initial = stream.next();
    assertThat(names(initial)).containsExactly("alpha", "beta");
    stream.ack(initial, both);

    server.publish(world(9003), Instant.now());
    DiscoveryResponse update = stream.next();

    assertThat(names(update)).containsExactly("alpha");
    assertThat(ports(update, 0)).containsExactly(9001, 9002, 9003);
    assertThat(update.getVersionInfo()).isEqualTo(world(9003).versions().endpoints());
  }

  @Test
  void sotw_serviceThatLeavesAndComesBackReachesAStreamStillSubscribedToIt() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "scale-to-zero"));
    List<String> alpha = List.of("alpha");
    stream.request(XdsType.ENDPOINTS, "", "", alpha);
    stream.ack(stream.next(), alpha);

    server.publish(resources(List.of(vm("b-1", "beta", 9101))), Instant.now());
    server.publish(
        resources(List.of(vm("a-7", "alpha", 9007), vm("b-1", "beta", 9101))), Instant.now());
    DiscoveryResponse back = stream.next();

    assertThat(names(back)).containsExactly("alpha");
    assertThat(ports(back, 0)).containsExactly(9007);
  }

  @Test
  void sotw_subscriptionToAServiceWithNoInstanceYetIsAnsweredWhenItAppears() throws Exception {
    XdsServer server = server();
    server.publish(resources(List.of(vm("b-1", "beta", 9101))), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "early"));
    stream.request(XdsType.ENDPOINTS, "", "", List.of("alpha"));
    Await.until(WAIT, () -> server.nodes().size() == 1, "the stream to be seen");

    server.publish(world(), Instant.now());

    assertThat(names(stream.next())).containsExactly("alpha");
  }

  @Test
  void sotw_nackIsNotAnsweredWithWhatWasRejectedButANameAddedInTheSameRequestIs() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "nacker"));
    stream.request(XdsType.ENDPOINTS, "", "", List.of("alpha"));
    DiscoveryResponse rejected = stream.next();

    stream.request(
        XdsType.ENDPOINTS,
        "",
        rejected.getNonce(),
        List.of("alpha", "beta"),
        Optional.of("rejected for the test"));
    DiscoveryResponse next = stream.next();

    assertThat(names(next)).containsExactly("beta");
    stream.ack(next, List.of("alpha", "beta"));
    Await.until(
        WAIT,
        () -> server.nodes().get(0).types().get("endpoints").ackedVersion().isPresent(),
        "the ACK");
    assertThat(stream.pending()).isEmpty();
    assertThat(
            server.nodes().get(0).types().get("endpoints").lastNack().orElseThrow().errorDetail())
        .isEqualTo("rejected for the test");
  }

  @Test
  void sotw_responseTheClientDroppedWhileUnsubscribedDoesNotStallTheType() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "dropper"));
    List<String> alpha = List.of("alpha");
    stream.request(XdsType.ENDPOINTS, "", "", alpha);
    DiscoveryResponse first = stream.next();
    stream.ack(first, alpha);
    server.publish(world(9003), Instant.now());
    stream.next();

    // Like grpc-java when its last watcher of a type goes: it unsubscribes, and ignores (never
    // answers) the response that was on its way; later it subscribes again.
    stream.request(XdsType.ENDPOINTS, first.getVersionInfo(), first.getNonce(), List.of());
    stream.request(XdsType.ENDPOINTS, first.getVersionInfo(), first.getNonce(), alpha);
    DiscoveryResponse again = stream.next();

    assertThat(names(again)).containsExactly("alpha");
    assertThat(ports(again, 0)).containsExactly(9001, 9002, 9003);
  }

  @Test
  void delta_replicasGiveEveryResourceTheSameVersion() throws Exception {
    XdsServer first = server();
    XdsServer second = server();
    first.publish(world(), Instant.now());
    second.publish(world(), Instant.now());

    Map<String, String> one = deltaVersions(first, "replica-1");
    Map<String, String> two = deltaVersions(second, "replica-2");

    assertThat(one).containsOnlyKeys("alpha", "beta").isEqualTo(two);
  }

  private Map<String, String> deltaVersions(XdsServer server, String nodeId) throws Exception {
    RawAdsStream stream = opened(RawAdsStream.delta(server.port(), nodeId));
    stream.delta(XdsType.ENDPOINTS, "", List.of("alpha", "beta"), List.of(), Map.of());
    return stream.nextDelta().getResourcesList().stream()
        .collect(Collectors.toMap(Resource::getName, Resource::getVersion));
  }

  @Test
  void delta_clientThatReconnectsWithItsVersionsIsSentOnlyWhatChanged() throws Exception {
    XdsServer first = server();
    first.publish(world(), Instant.now());
    Map<String, String> held = deltaVersions(first, "moving-client");

    XdsServer second = server();
    second.publish(world(9003), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.delta(second.port(), "moving-client"));
    stream.delta(XdsType.ENDPOINTS, "", List.of("alpha", "beta", "gamma"), List.of(), held);
    DeltaDiscoveryResponse response = stream.nextDelta();

    assertThat(response.getResourcesList()).extracting(Resource::getName).containsExactly("alpha");
    // gamma is not served: reported so the client need not wait out its timeout.
    assertThat(response.getRemovedResourcesList()).containsExactly("gamma");
  }

  @Test
  void delta_wildcardClientIsToldOfAResourceThatIsGone() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.delta(server.port(), "wildcard"));
    stream.delta(XdsType.CLUSTERS, "", List.of(), List.of(), Map.of());
    DeltaDiscoveryResponse initial = stream.nextDelta();
    assertThat(initial.getResourcesList()).extracting(Resource::getName).contains("alpha", "beta");
    stream.delta(XdsType.CLUSTERS, initial.getNonce(), List.of(), List.of(), Map.of());

    server.publish(resources(List.of(vm("a-1", "alpha", 9001))), Instant.now());
    DeltaDiscoveryResponse update = stream.nextDelta();

    assertThat(update.getResourcesList()).isEmpty();
    assertThat(update.getRemovedResourcesList()).containsExactly("beta");
  }

  @Test
  void streamThatNeverAnswersHoldsOneResponseAndDoesNotSlowTheOthers() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stuck = opened(RawAdsStream.sotw(server.port(), "stuck"));
    stuck.request(XdsType.ENDPOINTS, "", "", List.of("alpha"));
    // Read (never answered) before the publishes: the server may take this stream's request after
    // a publish otherwise, and its one response would then be of a later version.
    DiscoveryResponse only = stuck.next();
    RawAdsStream live = opened(RawAdsStream.sotw(server.port(), "live"));
    List<String> alpha = List.of("alpha");
    live.request(XdsType.ENDPOINTS, "", "", alpha);
    live.ack(live.next(), alpha);
    String first = world().versions().endpoints();

    for (int port = 9003; port < 9053; port++) {
      server.publish(world(port), Instant.now());
      DiscoveryResponse update = live.next();
      assertThat(ports(update, 0)).containsExactly(9001, 9002, port);
      live.ack(update, alpha);
    }

    // One response, the first, was sent to the stream that never answered; nothing queued since.
    assertThat(only.getVersionInfo()).isEqualTo(first);
    assertThat(stuck.pending()).isEmpty();
    NodeStatus status =
        server.nodes().stream().filter(n -> n.nodeId().equals("stuck")).findFirst().orElseThrow();
    assertThat(status.types().get("endpoints").sentVersion()).contains(first);
    assertThat(status.sync()).isEqualTo(NodeStatus.SyncState.STALE);
  }

  @Test
  void events_proxyConnectedNackedStaleAndDisconnectedAreRecorded() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = RawAdsStream.sotw(server.port(), "eventful");
    stream.request(XdsType.ENDPOINTS, "", "", List.of("alpha"));
    DiscoveryResponse first = stream.next();
    // Not answered: the stream is STALE until it answers, and is reported once.
    Await.until(WAIT, () -> kinds().contains(ProxyEvent.Kind.STALE), "a proxy-stale event");
    stream.request(
        XdsType.ENDPOINTS, "", first.getNonce(), List.of("alpha"), Optional.of("bad cluster"));
    Await.until(WAIT, () -> kinds().contains(ProxyEvent.Kind.NACKED), "a proxy-nacked event");
    stream.close();
    Await.until(
        WAIT, () -> kinds().contains(ProxyEvent.Kind.DISCONNECTED), "a proxy-disconnected event");

    assertThat(events)
        .extracting(ProxyEvent::kind, ProxyEvent::nodeId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ProxyEvent.Kind.CONNECTED, "eventful"),
            org.assertj.core.groups.Tuple.tuple(ProxyEvent.Kind.STALE, "eventful"),
            org.assertj.core.groups.Tuple.tuple(ProxyEvent.Kind.NACKED, "eventful"),
            org.assertj.core.groups.Tuple.tuple(ProxyEvent.Kind.DISCONNECTED, "eventful"));
    assertThat(events.get(2).detail())
        .isEqualTo("endpoints version " + first.getVersionInfo() + " rejected: bad cluster");
  }

  private List<ProxyEvent.Kind> kinds() {
    return events.stream().map(ProxyEvent::kind).toList();
  }

  @Test
  void requestForATypeNotServedIsCountedUnderOneSeriesNotItsUrl() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "curious"));
    for (int i = 0; i < 20; i++) {
      stream.request(XdsType.ENDPOINTS, "", "", List.of());
    }
    Await.until(WAIT, () -> server.nodes().size() == 1, "the stream to be seen");

    try (RawAdsStream odd = RawAdsStream.sotw(server.port(), "odd")) {
      for (int i = 0; i < 20; i++) {
        odd.requestRaw("type.googleapis.com/example.Unknown" + i);
      }
      Await.until(
          WAIT,
          () -> registry.get(ServingMetrics.UNKNOWN_TYPE_REQUESTS).counter().count() == 20,
          "the unknown requests to be counted");
    }

    Set<String> typeTags =
        registry.getMeters().stream()
            .map(Meter::getId)
            .map(id -> id.getTag("type"))
            .filter(t -> t != null)
            .collect(Collectors.toSet());
    assertThat(typeTags).containsOnly("clusters", "endpoints", "listeners", "routes");
  }

  @Test
  void nodes_listsEveryStreamOfANodeNotOnlyTheNewest() throws Exception {
    XdsServer server = server();
    server.publish(world(), Instant.now());
    for (int i = 0; i < 2; i++) {
      RawAdsStream stream = opened(RawAdsStream.sotw(server.port(), "twice"));
      stream.request(XdsType.CLUSTERS, "", "", List.of());
      stream.next();
    }

    assertThat(server.nodes()).extracting(NodeStatus::nodeId).containsExactly("twice", "twice");
  }

  @Test
  void streamWhoseSendThrowsIsClosedAndTheOthersAreStillServed() throws Exception {
    ServingCache cache =
        new ServingCache(
            Clock.systemUTC(), Duration.ofMinutes(1), ServingMetrics.none(), new ChangeTimes());
    open.add(cache);
    List<DiscoveryResponse> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    var broken =
        cache.openSotw(
            new Outbound(
                r -> {
                  throw new IllegalStateException("transport broke");
                }),
            Optional.empty());
    var healthy = cache.openSotw(new Outbound(received::add), Optional.empty());
    for (var stream : List.of(broken, healthy)) {
      stream.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(io.envoyproxy.envoy.config.core.v3.Node.newBuilder().setId("n"))
              .setTypeUrl(XdsType.CLUSTERS.typeUrl())
              .build());
    }

    cache.publish(world(), Instant.now());

    Await.until(WAIT, () -> received.size() == 1, "the healthy stream to be served");
    Await.until(WAIT, () -> cache.streamsOpen() == 1, "the broken stream to be closed");
  }

  /** A server-side outbound stream this test owns: always ready, handing responses to a sink. */
  private static final class Outbound extends ServerCallStreamObserver<DiscoveryResponse> {
    private final java.util.function.Consumer<DiscoveryResponse> sink;

    Outbound(java.util.function.Consumer<DiscoveryResponse> sink) {
      this.sink = sink;
    }

    @Override
    public void onNext(DiscoveryResponse value) {
      sink.accept(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
  }
}
