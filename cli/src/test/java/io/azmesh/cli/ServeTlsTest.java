package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl serve --xds-tls-cert --xds-tls-key}: started from parsed flags on random ports,
 * reached by a TLS client that trusts the test CA (xds-server's test-only certificates).
 */
class ServeTlsTest {
  @TempDir Path dir;
  private Serving serving;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            "instances:\n  - name: web-0\n    private_ip: 10.0.0.4\n"
                + "    tags: {mesh-service: web, mesh-port: \"8080\"}\n");
    serving =
        Serving.start(
            ParsedServe.settings(
                Map.of(),
                "serve",
                "--provider=file",
                "--inventory=" + inventory,
                "--xds-bind=127.0.0.1",
                "--xds-port=0",
                "--status-port=0",
                "--state-dir=" + dir.resolve("state"),
                "--xds-tls-cert=" + tls("server.pem"),
                "--xds-tls-key=" + tls("server.key")));
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    serving.close();
  }

  @Test
  void serve_serverTls_clientTrustingTheCaReceivesTheClusters() throws Exception {
    ChannelCredentials trustingTheCa =
        TlsChannelCredentials.newBuilder().trustManager(tls("ca.pem").toFile()).build();

    DiscoveryResponse clusters = askForClusters(trustingTheCa).get(30, TimeUnit.SECONDS);

    assertThat(clusters.getResourcesList()).hasSize(1);
    assertThat(clusters.getVersionInfo())
        .isEqualTo(serving.state().published().orElseThrow().resources().versions().clusters());
  }

  @Test
  void serve_serverTls_plaintextClientIsRefused() {
    assertThatThrownBy(
            () -> askForClusters(InsecureChannelCredentials.create()).get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));
  }

  static Path tls(String file) {
    try {
      return Path.of(ServeTlsTest.class.getResource("/tls/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens an ADS stream and asks for clusters; completes with the first response or failure. */
  private CompletableFuture<DiscoveryResponse> askForClusters(ChannelCredentials credentials) {
    // "localhost": the name the test server certificate is issued for.
    ManagedChannel channel =
        Grpc.newChannelBuilder("localhost:" + serving.xdsPort(), credentials).build();
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
        DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId("tls-test"))
            .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
            .build());
    return first;
  }
}
