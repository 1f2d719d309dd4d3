package io.azmesh.xds.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdsBootstrapOptionsTest {

  @ParameterizedTest
  @ValueSource(strings = {"10.0.2.4", "fd00::4", "control-plane", "xds.mesh.internal"})
  void build_acceptsIpLiteralsAndDnsNames(String host) {
    assertThat(AdsBootstrapOptions.builder(host, 18000, "edge-0").build().xdsHost())
        .isEqualTo(host);
  }

  @Test
  void build_rejectsHostWithSpaces() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("control plane", 18000, "edge-0").build())
        .withMessage("xdsHost is 'control plane', not an IP address or a DNS name");
  }

  @Test
  void build_rejectsHostWithScheme() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("http://10.0.2.4", 18000, "edge-0").build())
        .withMessage("xdsHost is 'http://10.0.2.4', not an IP address or a DNS name");
  }

  @Test
  void build_rejectsIpv4WithOctetOutOfRange() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("10.0.2.256", 18000, "edge-0").build())
        .withMessage("xdsHost is '10.0.2.256', not a valid IPv4 address");
  }

  @Test
  void build_rejectsEmptyHost() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("", 18000, "edge-0").build())
        .withMessage("xdsHost is '', not an IP address or a DNS name");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void build_rejectsXdsPortOutOfRange(int port) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("10.0.2.4", port, "edge-0").build())
        .withMessage("xdsPort is " + port + ", a port must be between 1 and 65535");
  }

  @Test
  void build_rejectsAdminPortOutOfRange() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0").adminPort(70000).build())
        .withMessage("adminPort is 70000, a port must be between 1 and 65535");
  }

  @Test
  void build_rejectsBlankNodeId() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("10.0.2.4", 18000, "  ").build())
        .withMessage("nodeId is empty");
  }

  @Test
  void build_rejectsNodeClusterWithEdgeWhitespace() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0")
                    .nodeCluster("edge ")
                    .build())
        .withMessage(
            "nodeCluster is 'edge ', it cannot contain control characters or edge whitespace");
  }

  @Test
  void build_rejectsNullNodeId() {
    assertThatNullPointerException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("10.0.2.4", 18000, null).build())
        .withMessage("nodeId");
  }

  @Test
  void limits_rejectHeapBelow64MiB() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new EdgeLimits(1024, 100))
        .withMessage("maxHeapBytes is 1024, must be at least 67108864 (64 MiB)");
  }

  @Test
  void limits_rejectZeroDownstreamConnections() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new EdgeLimits(EdgeLimits.MIN_HEAP_BYTES, 0))
        .withMessage("maxDownstreamConnections is 0, must be at least 1");
  }

  @Test
  void build_rejectsNullXdsApi() {
    assertThatNullPointerException()
        .isThrownBy(() -> AdsBootstrapOptions.builder("10.0.2.4", 18000, "e").xdsApi(null).build())
        .withMessage("xdsApi");
  }

  @Test
  void tls_rejectsEmptyCaFile() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> XdsTls.verifyServer(" "))
        .withMessage("caFile is empty, it must be a file path");
  }

  @Test
  void tls_rejectsKeyFileWithNewline() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> XdsTls.mutual("/ca.pem", "/cert.pem", "/key.pem\n"))
        .withMessage("keyFile is '/key.pem\\n', a file path cannot contain control characters");
  }

  @Test
  void tls_mutualCarriesClientCertificate() {
    XdsTls tls = XdsTls.mutual("/ca.pem", "/cert.pem", "/key.pem");

    assertThat(tls.client()).contains(new XdsTls.ClientCertificate("/cert.pem", "/key.pem"));
  }
}
