package io.azmesh.xds.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.Translator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class XdsServerTest {
  private static final Duration GRACE = Duration.ofMillis(300);
  private XdsServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private static Path tls(String file) {
    try {
      return Path.of(XdsServerTest.class.getResource("/tls/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static XdsResources resources() {
    Instance vm =
        Instance.builder("vm-1", "vm-1", "10.0.0.1")
            .tags(Map.of("mesh-service", "api", "mesh-port", "8080"))
            .build();
    return new Translator()
        .translate(MeshConfig.defaults(), TranslationInput.of(List.of(vm), Set.of()))
        .resources();
  }

  private XdsServer start(TlsConfig tls) {
    server =
        XdsServer.start(
            XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).tls(tls).build(),
            Clock.systemUTC());
    server.publish(resources(), Instant.now());
    return server;
  }

  /** Opens an ADS stream, asks for clusters, and returns the first response or the failure. */
  private CompletableFuture<DiscoveryResponse> askForClusters(ChannelCredentials credentials) {
    return askForClusters(credentials, Node.newBuilder().setId("tls-client").build());
  }

  private CompletableFuture<DiscoveryResponse> askForClusters(
      ChannelCredentials credentials, Node node) {
    ManagedChannel channel =
        Grpc.newChannelBuilder("localhost:" + server.port(), credentials).build();
    channels.add(channel);
    CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
    StreamObserver<DiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    first.complete(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    first.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(XdsType.CLUSTERS.typeUrl()).build());
    return first;
  }

  /**
   * The ways a client can ask for clusters: ADS or the CDS service, state of the world or delta.
   */
  enum Mode {
    ADS_STATE_OF_THE_WORLD,
    CDS_STATE_OF_THE_WORLD,
    ADS_DELTA,
    CDS_DELTA
  }

  /** Asks for clusters in the given mode; returns the version and resource names of the answer. */
  private CompletableFuture<Map.Entry<String, List<String>>> clustersBy(Mode mode) {
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
            .build();
    channels.add(channel);
    Node node = Node.newBuilder().setId("mode-client").build();
    CompletableFuture<Map.Entry<String, List<String>>> first = new CompletableFuture<>();
    if (mode == Mode.ADS_STATE_OF_THE_WORLD || mode == Mode.CDS_STATE_OF_THE_WORLD) {
      StreamObserver<DiscoveryResponse> responses =
          observer(
              first,
              r ->
                  Map.entry(
                      r.getVersionInfo(),
                      r.getResourcesList().stream().map(any -> clusterName(any)).toList()));
      StreamObserver<DiscoveryRequest> requests =
          mode == Mode.ADS_STATE_OF_THE_WORLD
              ? AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(responses)
              : ClusterDiscoveryServiceGrpc.newStub(channel).streamClusters(responses);
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(XdsType.CLUSTERS.typeUrl())
              .build());
    } else {
      StreamObserver<DeltaDiscoveryResponse> responses =
          observer(
              first,
              r ->
                  Map.entry(
                      r.getSystemVersionInfo(),
                      r.getResourcesList().stream().map(Resource::getName).toList()));
      StreamObserver<DeltaDiscoveryRequest> requests =
          mode == Mode.ADS_DELTA
              ? AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(responses)
              : ClusterDiscoveryServiceGrpc.newStub(channel).deltaClusters(responses);
      requests.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(XdsType.CLUSTERS.typeUrl())
              .build());
    }
    return first;
  }

  private static String clusterName(Any any) {
    try {
      return any.unpack(Cluster.class).getName();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <R, T> StreamObserver<R> observer(
      CompletableFuture<T> first, Function<R, T> read) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        first.complete(read.apply(response));
      }

      @Override
      public void onError(Throwable t) {
        first.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  @Test
  void metrics_countAckNackOpenStreamAndChangeToAckOfARealAdsStream() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    server =
        XdsServer.start(
            XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build(), clock, registry);
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
            .build();
    channels.add(channel);
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    responses.add(response);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    DiscoveryRequest ask =
        DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId("metrics-client"))
            .setTypeUrl(XdsType.CLUSTERS.typeUrl())
            .build();
    requests.onNext(ask);
    Await.until(
        Duration.ofSeconds(10), () -> !server.nodes().isEmpty(), "the client's stream to open");
    Gauge open = registry.get(ServingMetrics.STREAMS_OPEN).gauge();
    assertThat(open.value()).isEqualTo(1.0);

    // The change is seen a second after the stream opened, and ACKed 250 ms after it was seen.
    clock.advance(Duration.ofSeconds(1));
    server.publish(resources(), clock.instant());
    DiscoveryResponse first = responses.poll(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofMillis(250));
    requests.onNext(
        ask.toBuilder()
            .setVersionInfo(first.getVersionInfo())
            .setResponseNonce(first.getNonce())
            .build());
    Instance web =
        Instance.builder("vm-2", "vm-2", "10.0.0.2")
            .tags(Map.of("mesh-service", "web", "mesh-port", "8080"))
            .build();
    Instance api =
        Instance.builder("vm-1", "vm-1", "10.0.0.1")
            .tags(Map.of("mesh-service", "api", "mesh-port", "8080"))
            .build();
    server.publish(
        new Translator()
            .translate(MeshConfig.defaults(), TranslationInput.of(List.of(api, web), Set.of()))
            .resources(),
        clock.instant());
    DiscoveryResponse second = responses.poll(10, TimeUnit.SECONDS);
    requests.onNext(
        ask.toBuilder()
            .setVersionInfo(first.getVersionInfo())
            .setResponseNonce(second.getNonce())
            .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("cluster web: refused"))
            .build());
    Await.until(
        Duration.ofSeconds(10),
        () -> registry.get(ServingMetrics.NACKS).tag("type", "clusters").counter().count() > 0,
        "the NACK to be counted");

    assertThat(registry.get(ServingMetrics.ACKS).tag("type", "clusters").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get(ServingMetrics.NACKS).tag("type", "clusters").counter().count())
        .isEqualTo(1.0);
    Timer changeToAck = registry.get(ServingMetrics.CHANGE_TO_ACK).tag("type", "clusters").timer();
    assertThat(changeToAck.count()).isEqualTo(1);
    assertThat(changeToAck.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);

    requests.onCompleted();
    Await.until(Duration.ofSeconds(10), () -> open.value() == 0.0, "the stream to close");
    server.close();
    assertThat(registry.find(ServingMetrics.STREAMS_OPEN).gauge()).isNull();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyMode_servesThePublishedClusters(Mode mode) throws Exception {
    start(null);

    Map.Entry<String, List<String>> answer = clustersBy(mode).get(10, TimeUnit.SECONDS);

    assertThat(answer.getValue())
        .containsExactlyElementsOf(resources().clusters().stream().map(Cluster::getName).toList());
    assertThat(answer.getKey()).isEqualTo(resources().versions().clusters());
  }

  @Test
  void plaintext_servesPublishedClusters() throws Exception {
    start(null);

    DiscoveryResponse response =
        askForClusters(InsecureChannelCredentials.create()).get(10, TimeUnit.SECONDS);

    assertThat(response.getVersionInfo()).isEqualTo(resources().versions().clusters());
    assertThat(response.getResourcesCount()).isEqualTo(resources().clusters().size());
  }

  @Test
  void publish_everyNodeGetsThePublishedSnapshotWhetherItAskedBeforeOrAfter() throws Exception {
    server =
        XdsServer.start(
            XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build(), Clock.systemUTC());
    CompletableFuture<DiscoveryResponse> early =
        askForClusters(
            InsecureChannelCredentials.create(),
            Node.newBuilder().setId("web-1").setCluster("web").build());
    Await.until(
        Duration.ofSeconds(10), () -> !server.nodes().isEmpty(), "the early node to connect");

    server.publish(resources(), Instant.now());
    CompletableFuture<DiscoveryResponse> late =
        askForClusters(
            InsecureChannelCredentials.create(),
            Node.newBuilder().setId("api-1").setCluster("api").build());

    String version = resources().versions().clusters();
    assertThat(early.get(10, TimeUnit.SECONDS).getVersionInfo()).isEqualTo(version);
    assertThat(late.get(10, TimeUnit.SECONDS).getVersionInfo()).isEqualTo(version);
    assertThat(server.nodes()).extracting(NodeStatus::cluster).containsExactly("api", "web");
  }

  @Test
  void mutualTls_clientWithCertificateIsServed() throws Exception {
    start(TlsConfig.mutual(tls("server.pem"), tls("server.key"), tls("ca.pem")));
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder()
            .trustManager(tls("ca.pem").toFile())
            .keyManager(tls("client.pem").toFile(), tls("client.key").toFile())
            .build();

    DiscoveryResponse response = askForClusters(credentials).get(10, TimeUnit.SECONDS);

    assertThat(response.getVersionInfo()).isEqualTo(resources().versions().clusters());
  }

  @Test
  void mutualTls_clientWithoutCertificateIsRefused() throws IOException {
    start(TlsConfig.mutual(tls("server.pem"), tls("server.key"), tls("ca.pem")));
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder().trustManager(tls("ca.pem").toFile()).build();

    assertThatThrownBy(() -> askForClusters(credentials).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void serverTls_plaintextClientIsRefused() {
    start(TlsConfig.serverOnly(tls("server.pem"), tls("server.key")));

    assertThatThrownBy(
            () -> askForClusters(InsecureChannelCredentials.create()).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void close_endsOpenStreamsAfterTheGraceAndStopsAcceptingConnections() throws Exception {
    server =
        XdsServer.start(
            XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).shutdownGrace(GRACE).build(),
            Clock.systemUTC());
    server.publish(resources(), Instant.now());
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
            .build();
    channels.add(channel);
    CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
    CompletableFuture<Status> ended = new CompletableFuture<>();
    AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(
            new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryResponse response) {
                first.complete(response);
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                ended.complete(Status.OK);
              }
            })
        .onNext(
            DiscoveryRequest.newBuilder()
                .setNode(Node.newBuilder().setId("closing-client"))
                .setTypeUrl(XdsType.CLUSTERS.typeUrl())
                .build());
    first.get(10, TimeUnit.SECONDS);
    int port = server.port();
    assertThat(ended).as("the stream before close").isNotDone();

    long closing = System.nanoTime();
    server.close();
    Duration closed = Duration.ofNanos(System.nanoTime() - closing);
    server = null;

    // The open stream kept the server for the whole grace (a lower bound: it holds on any machine)
    // and was ended then; the client sees it end and reconnects elsewhere. Nothing listens now.
    assertThat(closed).as("time close() waited for the open stream").isGreaterThanOrEqualTo(GRACE);
    assertThat(ended.get(10, TimeUnit.SECONDS).getCode())
        .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void start_fileThatIsNotPemIsNamed(@TempDir Path dir) throws IOException {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

    assertThatThrownBy(
            () ->
                XdsServer.start(
                    XdsServerConfig.builder()
                        .bindAddress("127.0.0.1")
                        .port(0)
                        .tls(TlsConfig.mutual(tls("server.pem"), tls("server.key"), notPem))
                        .build(),
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot read TLS files "
                + tls("server.pem")
                + ", "
                + tls("server.key")
                + ", "
                + notPem);
  }

  @Test
  void start_missingCertificateFileIsNamed() {
    Path missing = Path.of("/nonexistent/server.pem");

    assertThatThrownBy(
            () ->
                XdsServer.start(
                    XdsServerConfig.builder()
                        .bindAddress("127.0.0.1")
                        .port(0)
                        .tls(TlsConfig.serverOnly(missing, tls("server.key")))
                        .build(),
                    Clock.systemUTC()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read TLS files /nonexistent/server.pem, " + tls("server.key"));
  }

  @Test
  void start_portInUseIsNamed() {
    start(null);
    int taken = server.port();

    assertThatThrownBy(
            () ->
                XdsServer.start(
                    XdsServerConfig.builder().bindAddress("127.0.0.1").port(taken).build(),
                    Clock.systemUTC()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot serve xDS on 127.0.0.1:" + taken);
  }

  @Test
  void config_rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> XdsServerConfig.builder().port(70000).build())
        .hasMessage("port (70000) must be in 0..65535");
    assertThatThrownBy(() -> XdsServerConfig.builder().bindAddress(" ").build())
        .hasMessage("bindAddress must not be blank");
    assertThatThrownBy(
            () -> new KeepaliveConfig(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessage("keepalive time (PT0S) must be positive");
  }
}
