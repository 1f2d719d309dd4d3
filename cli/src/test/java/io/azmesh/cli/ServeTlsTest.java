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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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

  @Test
  void serve_serverTls_answersHttp2OnlyToAClientThatNegotiatedH2ByAlpn() throws Exception {
    // What an Envoy without alpn_protocols would do: TLS, then the HTTP/2 preface, no ALPN. The
    // bootstrap offers h2 (AdsBootstrap) because of this.
    assertThat(firstBytesAfterPreface(new String[0]))
        .as("bytes answered without ALPN")
        .isEqualTo(-1);
    assertThat(firstBytesAfterPreface(new String[] {"h2"}))
        .as("bytes answered with ALPN h2")
        .isPositive();
  }

  /**
   * Opens a TLS connection trusting the test CA, offering {@code alpn}, sends the HTTP/2 client
   * preface and an empty SETTINGS frame, and returns how many bytes the first read gets: -1 when
   * the server closed the connection instead of answering with its own SETTINGS.
   */
  private int firstBytesAfterPreface(String[] alpn) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream ca = Files.newInputStream(tls("ca.pem"))) {
      trusted.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("localhost", serving.xdsPort())) {
      // A bound for a server that says nothing at all, not a timing claim.
      socket.setSoTimeout(30_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(alpn);
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
      out.flush();
      try {
        return socket.getInputStream().read(new byte[64]);
      } catch (SSLException | SocketException closed) {
        return -1;
      }
    }
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
