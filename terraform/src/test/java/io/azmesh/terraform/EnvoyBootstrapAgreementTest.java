package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import io.azmesh.xds.bootstrap.AdsBootstrap;
import io.azmesh.xds.bootstrap.AdsBootstrapOptions;
import io.azmesh.xds.bootstrap.EdgeLimits;
import io.azmesh.xds.bootstrap.XdsApi;
import io.azmesh.xds.bootstrap.XdsTls;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bootstrap the envoy-lb cloud-init writes is the one {@code meshctl bootstrap --xds-ca-file
 * /etc/envoy/azmesh-xds-ca.pem} prints: both sides are rendered for the same inputs and compared as
 * parsed documents. xDS is TLS, verified with the CA file the same cloud-init writes.
 */
class EnvoyBootstrapAgreementTest {

  private static final String BOOTSTRAP_PATH = "/etc/envoy/azmesh-bootstrap.yaml";
  static final String CA_PATH = "/etc/envoy/azmesh-xds-ca.pem";

  @ParameterizedTest(name = "{0}:{1} node {2}/{3} admin {4} {5} heap {7} MiB conns {8}")
  @CsvSource({
    "10.40.2.10, 18000, azmesh-edge-0, azmesh-edge, 9901, DELTA, DELTA_GRPC, 1024, 25000",
    "192.168.7.200, 443, shop-edge-12, shop.edge_eu, 15000, SOTW, GRPC, 3072, 60000",
  })
  void edgeCloudInit_writesTheAdsBootstrap(
      String xdsHost,
      int xdsPort,
      String nodeId,
      String nodeCluster,
      int adminPort,
      XdsApi xdsApi,
      String apiType,
      long maxHeapMib,
      long maxConnections)
      throws IOException {
    // apiType is what envoy-lb's main.tf computes from var.xds_api; the library must agree.
    assertThat(xdsApi.apiType().name()).isEqualTo(apiType);
    CloudConfig config =
        CloudConfig.render(
            CloudInitSamples.EDGE,
            CloudInitSamples.edge(
                xdsHost,
                xdsPort,
                nodeId,
                nodeCluster,
                adminPort,
                apiType,
                maxHeapMib,
                maxConnections));
    AdsBootstrap expected =
        AdsBootstrap.of(
            AdsBootstrapOptions.builder(xdsHost, xdsPort, nodeId)
                .nodeCluster(nodeCluster)
                .adminPort(adminPort)
                .xdsApi(xdsApi)
                .limits(new EdgeLimits(maxHeapMib * 1024 * 1024, maxConnections))
                .tls(XdsTls.verifyServer(CA_PATH))
                .build());

    JsonNode written = new YAMLMapper().readTree(config.requireFile(BOOTSTRAP_PATH));

    assertThat(written).isEqualTo(new ObjectMapper().readTree(expected.json()));
  }

  @ParameterizedTest(name = "{0}:{1}")
  @CsvSource({"10.40.2.10, 18000", "192.168.7.200, 443"})
  void edgeCloudInit_bootstrapParsesAsTheSameEnvoyProto(String xdsHost, int xdsPort)
      throws IOException {
    CloudConfig config =
        CloudConfig.render(
            CloudInitSamples.EDGE,
            CloudInitSamples.edge(xdsHost, xdsPort, "azmesh-edge-0", "azmesh-edge", 9901));
    JsonNode written = new YAMLMapper().readTree(config.requireFile(BOOTSTRAP_PATH));

    Bootstrap.Builder parsed = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(AdsBootstrap.typeRegistry())
        .merge(new ObjectMapper().writeValueAsString(written), parsed);

    assertThat(parsed.build())
        .isEqualTo(
            AdsBootstrap.of(
                    AdsBootstrapOptions.builder(xdsHost, xdsPort, "azmesh-edge-0")
                        .tls(XdsTls.verifyServer(CA_PATH))
                        .build())
                .bootstrap());
  }

  @Test
  void edgeCloudInit_writesTheCaItsBootstrapTrusts() {
    CloudConfig config = CloudInitSamples.renderedEdge();

    assertThat(config.requireFile(CA_PATH)).isEqualTo(CloudInitSamples.CA_PEM);
    assertThat(config.requireFile(BOOTSTRAP_PATH)).contains("filename: " + CA_PATH + "\n");
  }
}
