package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways {@code meshctl serve} refuses to start; each fails before it would block. */
class ServeCommandTest {
  @TempDir Path dir;
  private Path inventory;

  @BeforeEach
  void writeInventory() throws Exception {
    inventory = Files.writeString(dir.resolve("inventory.yaml"), "instances: []\n");
  }

  @Test
  void serve_unknownProvider_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("serve", "--provider", "consul");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "meshctl: unknown discovery provider 'consul'; known providers: azure, file\n"
                + "Run 'meshctl serve --help' for usage.\n");
  }

  @Test
  void serve_badDuration_namesTheOptionAndValue() {
    MeshctlRun run = serve("--refresh", "30 seconds");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--refresh': '30 seconds' is not a duration such"
                + " as 500ms, 30s, 2m, 1h or PT30S\n");
  }

  @Test
  void serve_zeroRefresh_isRejected() {
    MeshctlRun run = serve("--refresh", "0s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("meshctl: invalid serve option: refreshInterval (PT0S) must be positive\n");
  }

  @Test
  void serve_xdsPortInUse_failsNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      MeshctlRun run = serve("--xds-port", "" + port, "--status-port", "0");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .startsWith("meshctl: cannot serve xDS on 127.0.0.1:" + port + ": ")
          .contains("Address already in use")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void serve_statusPortInUse_failsNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      MeshctlRun run = serve("--xds-port", "0", "--status-port", "" + port);

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).startsWith("meshctl: cannot serve the status API on 127.0.0.1:" + port);
    }
  }

  @Test
  void serve_badMeshConfig_isReportedWithItsFile() throws Exception {
    Path config =
        Files.writeString(dir.resolve("mesh.yaml"), "services:\n  web:\n    protocl: grpc\n");

    MeshctlRun run = serve("--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("meshctl: " + config + ":").contains("protocl");
  }

  @Test
  void serve_missingTokenFile_isAUsageError() {
    Path absent = dir.resolve("token");

    MeshctlRun run = serve("--status-token-file", absent.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: invalid serve option: bearer token file " + absent + " does not exist\n");
  }

  @Test
  void serve_help_showsTheFixedFlagsAndExamples() {
    MeshctlRun run = MeshctlRun.of("serve", "--help");

    assertThat(run.out())
        .contains("--xds-port=PORT", "--xds-bind=ADDR", "--status-port=PORT", "--status-bind=ADDR")
        .contains("--refresh=DURATION", "--drain-period=DURATION", "--config=PATH")
        .contains("meshctl serve --provider file --inventory examples/inventory.yaml");
  }

  private MeshctlRun serve(String... args) {
    String[] all = new String[args.length + 7];
    all[0] = "serve";
    all[1] = "--provider";
    all[2] = "file";
    all[3] = "--inventory";
    all[4] = inventory.toString();
    all[5] = "--xds-bind";
    all[6] = "127.0.0.1";
    System.arraycopy(args, 0, all, 7, args.length);
    return MeshctlRun.of(all);
  }
}
