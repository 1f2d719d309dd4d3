package io.azmesh.xds.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.KeepaliveSettings;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AdsBootstrapTest {

  // -Dgolden.update=true rewrites the expected files from the current output; review the diff.
  private static final boolean UPDATE_GOLDEN = Boolean.getBoolean("golden.update");

  private static final AdsBootstrapOptions PLAINTEXT_BY_IP =
      AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0").build();

  @Test
  void yaml_plaintextToIpLiteral_matchesGolden() throws IOException {
    assertGolden("plaintext-ip.yaml", AdsBootstrap.of(PLAINTEXT_BY_IP).yaml());
  }

  @Test
  void yaml_mutualTlsToDnsName_matchesGolden() throws IOException {
    AdsBootstrapOptions options =
        AdsBootstrapOptions.builder("xds.mesh.internal", 18443, "edge-1")
            .nodeCluster("edge-westeurope")
            .adminPort(9902)
            .tls(
                XdsTls.mutual(
                    "/etc/envoy/tls/ca.pem", "/etc/envoy/tls/cert.pem", "/etc/envoy/tls/key.pem"))
            .build();

    assertGolden("mutual-tls-dns.yaml", AdsBootstrap.of(options).yaml());
  }

  @Test
  void yaml_stateOfTheWorldWithOwnLimits_matchesGolden() throws IOException {
    AdsBootstrapOptions options =
        AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0")
            .xdsApi(XdsApi.SOTW)
            .limits(new EdgeLimits(512L * 1024 * 1024, 10_000))
            .build();

    assertGolden("sotw-limits.yaml", AdsBootstrap.of(options).yaml());
  }

  @Test
  void bootstrap_defaultsToDeltaAds() {
    assertThat(
            AdsBootstrap.of(PLAINTEXT_BY_IP)
                .bootstrap()
                .getDynamicResources()
                .getAdsConfig()
                .getApiType())
        .isEqualTo(ApiConfigSource.ApiType.DELTA_GRPC);
  }

  @Test
  void bootstrap_sotwUsesTheGrpcApiType() {
    AdsBootstrap bootstrap =
        AdsBootstrap.of(
            AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0").xdsApi(XdsApi.SOTW).build());

    assertThat(bootstrap.bootstrap().getDynamicResources().getAdsConfig().getApiType())
        .isEqualTo(ApiConfigSource.ApiType.GRPC);
  }

  @Test
  void bootstrap_xdsClusterProbesItsConnectionWithTcpKeepalive() {
    TcpKeepalive keepalive =
        xdsCluster(AdsBootstrap.of(PLAINTEXT_BY_IP))
            .getUpstreamConnectionOptions()
            .getTcpKeepalive();

    assertThat(keepalive.getKeepaliveTime().getValue()).isEqualTo(10);
    assertThat(keepalive.getKeepaliveInterval().getValue()).isEqualTo(5);
    assertThat(keepalive.getKeepaliveProbes().getValue()).isEqualTo(3);
  }

  @Test
  void bootstrap_xdsClusterPingsOverHttp2() throws IOException {
    KeepaliveSettings keepalive =
        xdsCluster(AdsBootstrap.of(PLAINTEXT_BY_IP))
            .getTypedExtensionProtocolOptionsOrThrow(AdsBootstrap.HTTP_PROTOCOL_OPTIONS_KEY)
            .unpack(HttpProtocolOptions.class)
            .getExplicitHttpConfig()
            .getHttp2ProtocolOptions()
            .getConnectionKeepalive();

    assertThat(keepalive.getInterval().getSeconds()).isEqualTo(10);
    assertThat(keepalive.getTimeout().getSeconds()).isEqualTo(5);
  }

  @Test
  void bootstrap_overloadManagerLimitsHeapAndDownstreamConnections() throws IOException {
    OverloadManager overload =
        AdsBootstrap.of(
                AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0")
                    .limits(new EdgeLimits(256L * 1024 * 1024, 1_000))
                    .build())
            .bootstrap()
            .getOverloadManager();

    assertThat(overload.getResourceMonitorsList())
        .extracting(m -> m.getName())
        .containsExactly(
            "envoy.resource_monitors.fixed_heap",
            "envoy.resource_monitors.global_downstream_max_connections");
    assertThat(
            overload
                .getResourceMonitors(0)
                .getTypedConfig()
                .unpack(FixedHeapConfig.class)
                .getMaxHeapSizeBytes())
        .isEqualTo(256L * 1024 * 1024);
    assertThat(
            overload
                .getResourceMonitors(1)
                .getTypedConfig()
                .unpack(DownstreamConnectionsConfig.class)
                .getMaxActiveDownstreamConnections())
        .isEqualTo(1_000);
    assertThat(overload.getActionsList())
        .extracting(a -> a.getName() + "@" + a.getTriggers(0).getThreshold().getValue())
        .containsExactly(
            "envoy.overload_actions.shrink_heap@0.95",
            "envoy.overload_actions.stop_accepting_requests@0.98");
  }

  @Test
  void json_isTheSameDocumentAsYaml() throws IOException {
    AdsBootstrap bootstrap = AdsBootstrap.of(PLAINTEXT_BY_IP);

    JsonNode fromJson = new ObjectMapper().readTree(bootstrap.json());
    JsonNode fromYaml = new YAMLMapper().readTree(bootstrap.yaml());

    assertThat(fromYaml).isEqualTo(fromJson);
  }

  @Test
  void json_parsesBackIntoTheSameEnvoyBootstrap() throws IOException {
    AdsBootstrap bootstrap =
        AdsBootstrap.of(
            AdsBootstrapOptions.builder("xds.mesh.internal", 18443, "edge-1")
                .tls(XdsTls.verifyServer("/etc/envoy/ca.pem"))
                .build());
    Bootstrap.Builder parsed = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(AdsBootstrap.typeRegistry())
        .merge(bootstrap.json(), parsed);

    assertThat(parsed.build()).isEqualTo(bootstrap.bootstrap());
  }

  @Test
  void bootstrap_ipLiteralHostMakesStaticCluster() {
    Cluster cluster = xdsCluster(AdsBootstrap.of(PLAINTEXT_BY_IP));

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
  }

  @Test
  void bootstrap_ipv6LiteralHostMakesStaticCluster() {
    Cluster cluster =
        xdsCluster(AdsBootstrap.of(AdsBootstrapOptions.builder("fd00::4", 18000, "e").build()));

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
  }

  @Test
  void bootstrap_dnsNameHostMakesStrictDnsCluster() {
    Cluster cluster =
        xdsCluster(
            AdsBootstrap.of(AdsBootstrapOptions.builder("control-plane", 18000, "e").build()));

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
  }

  @Test
  void bootstrap_plaintextHasNoTransportSocket() {
    assertThat(xdsCluster(AdsBootstrap.of(PLAINTEXT_BY_IP)).hasTransportSocket()).isFalse();
  }

  @Test
  void bootstrap_verifyServerTlsTrustsCaAndPresentsNoCertificate() throws IOException {
    Cluster cluster =
        xdsCluster(
            AdsBootstrap.of(
                AdsBootstrapOptions.builder("10.0.2.4", 18443, "edge-0")
                    .tls(XdsTls.verifyServer("/etc/envoy/ca.pem"))
                    .build()));

    UpstreamTlsContext tls =
        cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(cluster.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
    assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/etc/envoy/ca.pem");
    assertThat(tls.getCommonTlsContext().getTlsCertificatesList()).isEmpty();
    // The xDS server is grpc-java's: it closes a TLS connection that did not negotiate h2.
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
  }

  @Test
  void options_defaultsAreAdminPort9901AndClusterAzmeshEdge() {
    assertThat(PLAINTEXT_BY_IP.adminPort()).isEqualTo(9901);
    assertThat(PLAINTEXT_BY_IP.nodeCluster()).isEqualTo("azmesh-edge");
    assertThat(PLAINTEXT_BY_IP.tls()).isEmpty();
    assertThat(PLAINTEXT_BY_IP.xdsApi()).isEqualTo(XdsApi.DELTA);
    assertThat(PLAINTEXT_BY_IP.limits()).isEqualTo(EdgeLimits.DEFAULT);
  }

  private static Cluster xdsCluster(AdsBootstrap bootstrap) {
    assertThat(bootstrap.bootstrap().getStaticResources().getClustersList()).hasSize(1);
    return bootstrap.bootstrap().getStaticResources().getClusters(0);
  }

  private static void assertGolden(String name, String actual) throws IOException {
    if (UPDATE_GOLDEN) {
      Path file = Path.of("src/test/resources/io/azmesh/xds/bootstrap", name);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = AdsBootstrapTest.class.getResourceAsStream(name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
