package io.azmesh.cli;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.status.BearerToken;
import io.azmesh.status.StatusServerConfig;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.TlsConfig;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code meshctl serve}: the control plane, until SIGTERM. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Runs the control plane: discovers instances, translates them into Envoy resources, serves"
            + " them over xDS (ADS) and shows the state on the status API, until stopped.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  meshctl serve --provider file --inventory examples/inventory.yaml",
      "  meshctl serve --provider azure --subscription 0000-... --tag mesh-service \\",
      "      --config /etc/azmesh/mesh.yaml --xds-bind 0.0.0.0 --status-bind 0.0.0.0",
      "  meshctl serve --provider file --inventory examples/inventory.yaml \\",
      "      --xds-tls-cert /etc/azmesh/xds.pem --xds-tls-key /etc/azmesh/xds-key.pem \\",
      "      --xds-tls-client-ca /etc/azmesh/edge-ca.pem",
      "",
      "xDS is plaintext unless --xds-tls-cert and --xds-tls-key are given: fine for",
      "a control plane reachable only inside a private VNet.",
      "",
      "A restart serves the snapshot saved in --state-dir at once (when it was saved for",
      "the same provider, scopes, inventory and mesh config, less than --state-max-age",
      "ago) and drains and guards relative to it; /readyz says not ready until a",
      "discovery confirms it. One serve per state directory: a second one exits naming",
      "the holder.",
      "",
      "The mesh configuration in --config is read again when the file changes and on",
      "SIGHUP, and serves at once if it is valid; a bad edit keeps the last good one",
      "serving and shows a problem. Options (flags, environment, the file's 'meshctl:'",
      "section) are read only at start: changing them needs a restart.",
      "",
      "SIGTERM (or Ctrl-C) stops it cleanly: status API, then xDS streams, then discovery."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ProviderOptions provider;

  @Mixin XdsTlsOptions xdsTls;

  @Option(
      names = "--xds-port",
      paramLabel = "PORT",
      defaultValue = "" + XdsServerConfig.DEFAULT_PORT,
      description = "The xDS (ADS) gRPC port (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int xdsPort;

  @Option(
      names = "--xds-bind",
      paramLabel = "ADDR",
      defaultValue = "0.0.0.0",
      description = "The address the xDS server binds (default: ${DEFAULT-VALUE}).")
  String xdsBind;

  @Option(
      names = "--status-port",
      paramLabel = "PORT",
      defaultValue = "" + StatusServerConfig.DEFAULT_PORT,
      description = "The status API port (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int statusPort;

  @Option(
      names = "--status-bind",
      paramLabel = "ADDR",
      defaultValue = StatusServerConfig.DEFAULT_BIND_ADDRESS,
      description = "The address the status API binds (default: ${DEFAULT-VALUE}).")
  String statusBind;

  @Option(
      names = "--status-token-file",
      paramLabel = "PATH",
      description = "Require this file's bearer token on /api/* and /metrics.")
  Path statusTokenFile;

  /** The time between discoveries with a change queue: it reconciles what no event announced. */
  static final Duration REFRESH_WITH_CHANGE_QUEUE = Duration.ofMinutes(5);

  @Option(
      names = "--refresh",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Time between discoveries (default: 30s; 5m with --change-queue, which refreshes at"
              + " once on an event and polls every 30s while the queue fails); edits signal at"
              + " once.")
  Duration refresh;

  @Option(
      names = "--change-coalescing",
      paramLabel = "DURATION",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description =
          "How long to wait after the provider signals a change before refreshing, so a burst of"
              + " signals makes one refresh (default: ${DEFAULT-VALUE}).")
  Duration changeCoalescing;

  @Option(
      names = "--drain-period",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How long a vanished or stopped instance stays DRAINING before removal (default:"
              + " ${DEFAULT-VALUE}).")
  Duration drainPeriod;

  @Option(
      names = "--mass-removal-fraction",
      paramLabel = "FRACTION",
      description =
          "Hold a refresh that would take away more than this share of a service's serving"
              + " instances at once, 0 < FRACTION <= 1; 1 never holds (default: ${DEFAULT-VALUE}).")
  double massRemovalFraction = ControlLoopConfig.defaults().massRemovalFraction();

  @Option(
      names = "--mass-removal-confirmations",
      paramLabel = "N",
      description =
          "Consecutive refreshes that must propose a held removal before it applies, at least 1"
              + " (default: ${DEFAULT-VALUE}).")
  int massRemovalConfirmations = ControlLoopConfig.defaults().massRemovalConfirmations();

  @Option(
      names = "--mass-removal-hold",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long a held removal must have been proposed before it applies, however many"
              + " discoveries saw it (default: two --refresh intervals).")
  Duration massRemovalHold;

  @Option(
      names = "--service-retention",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "How long a service whose last instance left keeps its cluster, listener and routes"
              + " with no endpoints, so clients stay subscribed (default: ${DEFAULT-VALUE}).")
  Duration serviceRetention;

  @Option(
      names = "--full-recompute-interval",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "How often the incremental result is checked against one computed from scratch (a"
              + " difference is logged, counted as azmesh_incremental_drift_total and the full"
              + " result served); 0 never checks (default: ${DEFAULT-VALUE}).")
  Duration fullRecomputeInterval;

  @Option(
      names = "--state-dir",
      paramLabel = "PATH",
      defaultValue =
          "${env:STATE_DIRECTORY:-${env:XDG_STATE_HOME:-${env:HOME:-${sys:user.home}}/.local/state}/azmesh}",
      description =
          "Where serve keeps its state across restarts: the last snapshot, drains, held"
              + " removals, empty services and events (default: systemd's $STATE_DIRECTORY,"
              + " else $XDG_STATE_HOME/azmesh, else $HOME/.local/state/azmesh; now"
              + " ${DEFAULT-VALUE}). One serve per directory.")
  Path stateDir;

  @Option(
      names = "--state-max-age",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "How old the state saved in --state-dir may be and still be served after a restart;"
              + " an older one is not, and the first discovery is (default: ${DEFAULT-VALUE}).")
  Duration stateMaxAge;

  @Option(
      names = "--config-settle",
      paramLabel = "DURATION",
      defaultValue = "250ms",
      converter = DurationConverter.class,
      description =
          "How long an edited --config file must stay unchanged before serve reads it again, so a"
              + " file written in place is never read half-written (default: ${DEFAULT-VALUE}; 0"
              + " when it is only replaced by renaming a complete file into place).")
  Duration configSettle;

  @Override
  public Integer call() throws InterruptedException {
    Serving.Settings settings = settings();
    Serving serving = Serving.start(settings);
    HangUpSignal.onHangUp(serving::reloadConfiguration);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  serving.close();
                  stopped.countDown();
                },
                "meshctl-shutdown"));
    stopped.await();
    return 0;
  }

  private Duration refreshInterval() {
    if (refresh != null) {
      return refresh;
    }
    return provider.hasChangeQueue()
        ? REFRESH_WITH_CHANGE_QUEUE
        : ControlLoopConfig.defaults().refreshInterval();
  }

  /**
   * Everything validated before anything binds a port or starts a thread. The caller owns the
   * provider it creates.
   */
  Serving.Settings settings() {
    Optional<ConfigFile> file = common.configFile(spec.commandLine());
    MeshConfig mesh = common.meshConfig(spec.commandLine(), file);
    Optional<TlsConfig> tls = xdsTls.tls(spec.commandLine());
    XdsServerConfig xds;
    ControlLoopConfig loop;
    StatusServerConfig status;
    try {
      xds =
          XdsServerConfig.builder()
              .bindAddress(xdsBind)
              .port(xdsPort)
              .tls(tls.orElse(null))
              .build();
      loop =
          ControlLoopConfig.builder()
              .refreshInterval(refreshInterval())
              .drainPeriod(drainPeriod)
              .changeCoalescing(changeCoalescing)
              .massRemovalFraction(massRemovalFraction)
              .massRemovalConfirmations(massRemovalConfirmations)
              .massRemovalHold(massRemovalHold)
              .serviceRetention(serviceRetention)
              .stateMaxAge(stateMaxAge)
              .fullRecomputeInterval(fullRecomputeInterval)
              .build();
      status = StatusServerConfig.defaults().withBindAddress(statusBind).withPort(statusPort);
      if (statusTokenFile != null) {
        status = status.withToken(BearerToken.fromFile(statusTokenFile));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid serve option: " + e.getMessage());
    }
    DiscoveryProvider source = provider.create(DiscoveryProviders.load());
    StateFingerprint fingerprint =
        StateFingerprint.of(source.name(), provider.settings(), common.config());
    Optional<ConfigReload.Settings> reload =
        file.map(
            read ->
                new ConfigReload.Settings(
                    read.path(),
                    read,
                    MeshctlDefaults.knownOptions(spec.root()),
                    configSettle,
                    fingerprint));
    return new Serving.Settings(
        source, mesh, xds, loop, status, Optional.of(stateDir), fingerprint.toString(), reload);
  }
}
