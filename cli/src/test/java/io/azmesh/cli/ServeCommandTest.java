package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.TlsConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

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

    assertUsageError(run, "unknown discovery provider 'consul'; known providers: azure, file");
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
  void serve_tlsCertWithoutKey_isAUsageError() {
    MeshctlRun run = serve("--xds-tls-cert", ServeTlsTest.tls("server.pem").toString());

    assertUsageError(run, "--xds-tls-cert and --xds-tls-key go together; give both or neither");
  }

  @Test
  void serve_tlsKeyWithoutCert_isAUsageError() {
    MeshctlRun run = serve("--xds-tls-key", ServeTlsTest.tls("server.key").toString());

    assertUsageError(run, "--xds-tls-cert and --xds-tls-key go together; give both or neither");
  }

  @Test
  void serve_tlsClientCaWithoutCertAndKey_isAUsageError() {
    MeshctlRun run = serve("--xds-tls-client-ca", ServeTlsTest.tls("ca.pem").toString());

    assertUsageError(
        run, "--xds-tls-client-ca needs --xds-tls-cert and --xds-tls-key (mutual TLS is TLS too)");
  }

  @Test
  void serve_missingTlsFile_namesTheFlagAndPath() {
    Path absent = dir.resolve("server.pem");

    MeshctlRun run =
        serve(
            "--xds-tls-cert",
            absent.toString(),
            "--xds-tls-key",
            ServeTlsTest.tls("server.key").toString());

    assertUsageError(run, "--xds-tls-cert " + absent + " does not exist");
  }

  @Test
  void serve_unreadableTlsFile_namesTheFlagAndPath() {
    // A directory cannot be read as a file, not even by root (as tests may run here).
    MeshctlRun run =
        serve(
            "--xds-tls-cert",
            ServeTlsTest.tls("server.pem").toString(),
            "--xds-tls-key",
            ServeTlsTest.tls("server.key").toString(),
            "--xds-tls-client-ca",
            dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("meshctl: cannot read --xds-tls-client-ca " + dir + ": Is a directory\n");
  }

  @Test
  void serve_tlsFileThatIsNotPem_failsNamingTheFiles() throws Exception {
    Path notPem = Files.writeString(dir.resolve("server.pem"), "not a certificate\n");
    Path key = ServeTlsTest.tls("server.key");

    MeshctlRun run =
        serve(
            "--xds-port",
            "0",
            "--status-port",
            "0",
            "--xds-tls-cert",
            notPem.toString(),
            "--xds-tls-key",
            key.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    // Ours up to the colon; the rest is Netty's reason.
    assertThat(run.err())
        .startsWith("meshctl: cannot read TLS files " + notPem + ", " + key + ": ")
        .containsOnlyOnce("\n")
        .endsWith("\n");
  }

  @Test
  void serve_massRemovalFractionOutOfRange_isAUsageError() {
    MeshctlRun run = serve("--mass-removal-fraction", "1.5");

    assertUsageError(run, "invalid serve option: massRemovalFraction (1.5) must be in (0, 1]");
  }

  @Test
  void serve_zeroMassRemovalFraction_isAUsageError() {
    MeshctlRun run = serve("--mass-removal-fraction", "0");

    assertUsageError(run, "invalid serve option: massRemovalFraction (0.0) must be in (0, 1]");
  }

  @Test
  void serve_zeroMassRemovalConfirmations_isAUsageError() {
    MeshctlRun run = serve("--mass-removal-confirmations", "0");

    assertUsageError(run, "invalid serve option: massRemovalConfirmations (0) must be at least 1");
  }

  @Test
  void settings_flagsReachTheServerAndLoopConfig() {
    Serving.Settings settings =
        settingsOf(
            Map.of(),
            "--mass-removal-fraction",
            "0.25",
            "--mass-removal-confirmations",
            "5",
            "--xds-tls-cert",
            ServeTlsTest.tls("server.pem").toString(),
            "--xds-tls-key",
            ServeTlsTest.tls("server.key").toString(),
            "--xds-tls-client-ca",
            ServeTlsTest.tls("ca.pem").toString());

    assertThat(settings.loop().massRemovalFraction()).isEqualTo(0.25);
    assertThat(settings.loop().massRemovalConfirmations()).isEqualTo(5);
    assertThat(settings.xds().tls())
        .contains(
            TlsConfig.mutual(
                ServeTlsTest.tls("server.pem"),
                ServeTlsTest.tls("server.key"),
                ServeTlsTest.tls("ca.pem")));
  }

  @Test
  void settings_withoutFlags_arePlaintextWithTheLibraryDefaults() {
    Serving.Settings settings = settingsOf(Map.of());

    ControlLoopConfig defaults = ControlLoopConfig.defaults();
    assertThat(settings.loop().massRemovalFraction()).isEqualTo(defaults.massRemovalFraction());
    assertThat(settings.loop().massRemovalConfirmations())
        .isEqualTo(defaults.massRemovalConfirmations());
    assertThat(settings.xds().tls()).isEmpty();
  }

  @Test
  void settings_guardComesFromTheEnvironmentAndConfigFile() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("azmesh.yaml"), "meshctl:\n  mass-removal-confirmations: 7\n");

    Serving.Settings settings =
        settingsOf(Map.of("MESHCTL_MASS_REMOVAL_FRACTION", "1"), "--config", config.toString());

    assertThat(settings.loop().massRemovalFraction()).isEqualTo(1.0);
    assertThat(settings.loop().massRemovalConfirmations()).isEqualTo(7);
  }

  @Test
  void settings_tlsFilesComeFromTheEnvironment() {
    Serving.Settings settings =
        settingsOf(
            Map.of(
                "MESHCTL_XDS_TLS_CERT", ServeTlsTest.tls("server.pem").toString(),
                "MESHCTL_XDS_TLS_KEY", ServeTlsTest.tls("server.key").toString()));

    assertThat(settings.xds().tls())
        .contains(
            TlsConfig.serverOnly(ServeTlsTest.tls("server.pem"), ServeTlsTest.tls("server.key")));
  }

  @Test
  void settings_clientCaFromTheEnvironmentAlone_isRefused() {
    assertThatThrownBy(
            () ->
                settingsOf(
                    Map.of("MESHCTL_XDS_TLS_CLIENT_CA", ServeTlsTest.tls("ca.pem").toString())))
        .isInstanceOf(ParameterException.class)
        .hasMessage(
            "--xds-tls-client-ca needs --xds-tls-cert and --xds-tls-key (mutual TLS is TLS too)");
  }

  @Test
  void serve_help_showsTheFixedFlagsAndExamples() {
    MeshctlRun run = MeshctlRun.of("serve", "--help");

    // Words as one line: picocli wraps descriptions at 80 columns.
    String help = run.out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("--xds-port=PORT", "--xds-bind=ADDR", "--status-port=PORT", "--status-bind=ADDR")
        .contains("--refresh=DURATION", "--drain-period=DURATION", "--config=PATH")
        .contains("meshctl serve --provider file --inventory examples/inventory.yaml")
        .contains("--xds-tls-cert=PATH", "--xds-tls-key=PATH", "--xds-tls-client-ca=PATH")
        .contains("--mass-removal-confirmations=N")
        .doesNotContain("--node-grouping")
        .contains("--mass-removal-fraction=FRACTION")
        .contains("at once, 0 < FRACTION <= 1; 1 never holds (default: 0.5)")
        .contains("before it applies, at least 1 (default: 3)")
        .contains("SUBSCRIPTION-ID/NAME")
        .contains("--state-dir=PATH", "--service-retention=DURATION")
        .contains("--mass-removal-hold=DURATION")
        .contains("(default: two --refresh intervals)")
        .contains("with no endpoints, so clients stay subscribed (default: 1h)");
  }

  @Test
  void settings_stateDirTakesAFlagAndStateMaxAgeDefaultsToAnHour() {
    // The default of --state-dir, per environment, is StateDirDefaultTest's (child JVMs).
    assertThat(settingsOf(Map.of()).loop().stateMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(settingsOf(Map.of(), "--state-max-age=10m").loop().stateMaxAge())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(settingsOf(Map.of(), "--state-dir=/var/lib/azmesh").stateDirectory())
        .contains(Path.of("/var/lib/azmesh"));
    assertThat(settingsOf(Map.of(), "--service-retention=10m").loop().serviceRetention())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(settingsOf(Map.of()).loop().fullRecomputeInterval())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(settingsOf(Map.of(), "--full-recompute-interval=0").loop().fullRecomputeInterval())
        .isZero();
    assertThat(settingsOf(Map.of(), "--refresh=10s").loop().massRemovalHold())
        .isEqualTo(Duration.ofSeconds(20));
  }

  /** A usage error: exit code 2, the message on one line, then the pointer to --help. */
  private static void assertUsageError(MeshctlRun run, String message) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("meshctl: " + message + "\nRun 'meshctl serve --help' for usage.\n");
  }

  /** The settings of serve with the file provider and these arguments; the provider is closed. */
  private Serving.Settings settingsOf(Map<String, String> environment, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "serve";
    all[1] = "--provider=file";
    all[2] = "--inventory=" + inventory;
    System.arraycopy(args, 0, all, 3, args.length);
    Serving.Settings settings = ParsedServe.settings(environment, all);
    settings.provider().close();
    return settings;
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
