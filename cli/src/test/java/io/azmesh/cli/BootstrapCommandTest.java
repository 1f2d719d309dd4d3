package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.xds.bootstrap.AdsBootstrap;
import io.azmesh.xds.bootstrap.AdsBootstrapOptions;
import io.azmesh.xds.bootstrap.EdgeLimits;
import io.azmesh.xds.bootstrap.XdsApi;
import io.azmesh.xds.bootstrap.XdsTls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapCommandTest {

  @Test
  void bootstrap_printsTheAdsBootstrapAsYaml() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "10.0.0.10:18000", "--node-id", "edge-0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            AdsBootstrap.of(AdsBootstrapOptions.builder("10.0.0.10", 18000, "edge-0").build())
                .yaml());
  }

  @Test
  void bootstrap_mutualTlsAndJson_matchTheLibrary() {
    MeshctlRun run =
        MeshctlRun.of(
            "bootstrap",
            "--xds-address",
            "cp.internal:18443",
            "--node-id",
            "edge-1",
            "--node-cluster",
            "edge",
            "--admin-port",
            "9902",
            "--xds-ca-file",
            "/etc/envoy/ca.pem",
            "--xds-cert-file",
            "/etc/envoy/edge.pem",
            "--xds-key-file",
            "/etc/envoy/edge-key.pem",
            "-o",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            AdsBootstrap.of(
                    AdsBootstrapOptions.builder("cp.internal", 18443, "edge-1")
                        .nodeCluster("edge")
                        .adminPort(9902)
                        .tls(
                            XdsTls.mutual(
                                "/etc/envoy/ca.pem",
                                "/etc/envoy/edge.pem",
                                "/etc/envoy/edge-key.pem"))
                        .build())
                .json());
  }

  @Test
  void bootstrap_ipv6AddressInBrackets() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "[fd00::10]:18000", "--node-id", "edge-0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("fd00::10");
  }

  @Test
  void bootstrap_out_writesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("envoy.yaml");

    MeshctlRun run =
        MeshctlRun.of(
            "bootstrap",
            "--xds-address",
            "10.0.0.10:18000",
            "--node-id",
            "edge-0",
            "--out",
            file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(file))
        .isEqualTo(
            AdsBootstrap.of(AdsBootstrapOptions.builder("10.0.0.10", 18000, "edge-0").build())
                .yaml());
  }

  @Test
  void bootstrap_withoutAddress_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("bootstrap", "--node-id", "edge-0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "meshctl: --xds-address is required, e.g. --xds-address 10.0.0.10:18000\n"
                + "Run 'meshctl bootstrap --help' for usage.\n");
  }

  @Test
  void bootstrap_defaultsToDeltaAds() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "10.0.0.10:18000", "--node-id", "edge-0");

    assertThat(run.out()).contains("\n    api_type: DELTA_GRPC\n");
  }

  @Test
  void bootstrap_sotwAndLimits_matchTheLibrary() {
    MeshctlRun run =
        MeshctlRun.of(
            "bootstrap",
            "--xds-address",
            "10.0.0.10:18000",
            "--node-id",
            "edge-0",
            "--xds-api",
            "sotw",
            "--max-heap-mib",
            "2048",
            "--max-downstream-connections",
            "50000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            AdsBootstrap.of(
                    AdsBootstrapOptions.builder("10.0.0.10", 18000, "edge-0")
                        .xdsApi(XdsApi.SOTW)
                        .limits(new EdgeLimits(2048L * 1024 * 1024, 50_000))
                        .build())
                .yaml());
  }

  @Test
  void bootstrap_unknownXdsApi_namesTheChoices() {
    MeshctlRun run =
        MeshctlRun.of(
            "bootstrap",
            "--xds-address",
            "10.0.0.10:18000",
            "--node-id",
            "edge-0",
            "--xds-api",
            "rest");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--xds-api': expected one of [DELTA, SOTW]"
                + " (case-insensitive) but was 'rest'\n");
  }

  @Test
  void bootstrap_tooSmallHeap_isReportedByTheLibrary() {
    MeshctlRun run =
        MeshctlRun.of(
            "bootstrap",
            "--xds-address",
            "10.0.0.10:18000",
            "--node-id",
            "edge-0",
            "--max-heap-mib",
            "32");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: invalid bootstrap option: maxHeapBytes is 33554432, must be at least"
                + " 67108864 (64 MiB)\n");
  }

  @Test
  void bootstrap_addressWithoutPort_namesTheValue() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "10.0.0.10", "--node-id", "edge-0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--xds-address': '10.0.0.10' is not HOST:PORT,"
                + " e.g. 10.0.0.10:18000 or [fd00::10]:18000\n");
  }

  @Test
  void bootstrap_badPort_namesTheValue() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "10.0.0.10:99999", "--node-id", "edge-0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--xds-address': '10.0.0.10:99999' has port"
                + " 99999, not between 1 and 65535\n");
  }

  @Test
  void bootstrap_badHost_isReportedByTheLibrary() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "cp_internal:18000", "--node-id", "edge-0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: invalid bootstrap option: xdsHost is 'cp_internal', not an IP address or a"
                + " DNS name\n");
  }

  @Test
  void bootstrap_certWithoutKey_isAUsageError() {
    MeshctlRun run =
        MeshctlRun.of(
            "bootstrap",
            "--xds-address",
            "10.0.0.10:18000",
            "--node-id",
            "edge-0",
            "--xds-ca-file",
            "/ca.pem",
            "--xds-cert-file",
            "/edge.pem");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: --xds-cert-file and --xds-key-file go together; give both or neither\n");
  }

  @Test
  void bootstrap_ipv6WithoutBrackets_isRejected() {
    MeshctlRun run =
        MeshctlRun.of("bootstrap", "--xds-address", "fd00::10:18000", "--node-id", "edge-0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--xds-address': 'fd00::10:18000' has an IPv6 host"
                + " without brackets; write [fd00::10]:PORT\n");
  }
}
