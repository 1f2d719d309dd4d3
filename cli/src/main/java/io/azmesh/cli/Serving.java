package io.azmesh.cli;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.status.StatusServer;
import io.azmesh.status.StatusServerConfig;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code meshctl serve}: discovery, translation, the xDS server and the status API in one
 * process. Closing it stops them in reverse order and closes the provider.
 */
final class Serving implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProblemLog.LOGGER);
  private static final Duration LOG_INTERVAL = Duration.ofMillis(250);

  private final DiscoveryProvider provider;
  private final ControlPlane controlPlane;
  private final StatusServer status;
  private final ScheduledExecutorService logger;
  private final Optional<ConfigReload> reload;

  private Serving(
      DiscoveryProvider provider,
      ControlPlane controlPlane,
      StatusServer status,
      ScheduledExecutorService logger,
      Optional<ConfigReload> reload) {
    this.provider = provider;
    this.controlPlane = controlPlane;
    this.status = status;
    this.logger = logger;
    this.reload = reload;
  }

  /**
   * What to serve and where.
   *
   * @param mesh the mesh configuration to start with
   * @param stateDirectory where the control loop keeps its state across restarts; empty keeps none
   * @param configuration what serve discovers from, as one line; a saved state of another is not
   *     served
   * @param reload the config file {@code mesh} came from, re-read while serving; empty for none
   */
  record Settings(
      DiscoveryProvider provider,
      MeshConfig mesh,
      XdsServerConfig xds,
      ControlLoopConfig loop,
      StatusServerConfig status,
      Optional<Path> stateDirectory,
      String configuration,
      Optional<ConfigReload.Settings> reload) {
    Settings {
      Objects.requireNonNull(reload, "reload");
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(mesh, "mesh");
      Objects.requireNonNull(xds, "xds");
      Objects.requireNonNull(loop, "loop");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(stateDirectory, "stateDirectory");
      Objects.requireNonNull(configuration, "configuration");
    }
  }

  /**
   * Starts everything; on failure stops what already started (and closes the provider) before
   * rethrowing. The first discovery runs at once.
   */
  static Serving start(Settings settings) {
    ControlPlane controlPlane = null;
    StatusServer status = null;
    boolean statusStarted = false;
    Optional<ConfigReload> reload = Optional.empty();
    try {
      // One registry: the control plane counts events on it, the status server serves it.
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // The translator with this mesh configuration, validated by Envoy's and gRPC's rules.
      ControlPlane.Builder builder =
          ControlPlane.builder(settings.provider(), settings.mesh())
              .server(settings.xds())
              .loop(settings.loop())
              .meterRegistry(registry);
      settings.stateDirectory().ifPresent(builder::stateDirectory);
      builder.configuration(settings.configuration());
      controlPlane = builder.start();
      status = new StatusServer(settings.status(), controlPlane, registry, Clock.systemUTC());
      status.start();
      statusStarted = true;
      ControlPlane plane = controlPlane;
      reload = settings.reload().map(r -> ConfigReload.start(r, plane));
    } catch (RuntimeException e) {
      if (statusStarted) {
        status.stop();
      }
      if (controlPlane != null) {
        controlPlane.close();
      }
      settings.provider().close();
      throw e;
    }
    ScheduledExecutorService logger =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "meshctl-problem-log");
              thread.setDaemon(true);
              return thread;
            });
    ProblemLog problems = new ProblemLog();
    ControlPlane state = controlPlane;
    logger.scheduleWithFixedDelay(
        () -> problems.observe(state), 0, LOG_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "serving: discovery by {}, xDS on {}:{}, status API on http://{}:{}/",
        settings.provider().name(),
        settings.xds().bindAddress(),
        controlPlane.port(),
        settings.status().bindAddress(),
        status.port());
    return new Serving(settings.provider(), controlPlane, status, logger, reload);
  }

  /** The port xDS clients connect to. */
  int xdsPort() {
    return controlPlane.port();
  }

  /** The port of the status API. */
  int statusPort() {
    return status.port();
  }

  /** The read-only view of the running control plane. */
  MeshState state() {
    return controlPlane;
  }

  /**
   * Re-reads the config file now, as on SIGHUP: its mesh configuration serves if it is valid, and
   * the last good one stays otherwise. Returns at once; without a config file it only says so.
   */
  void reloadConfiguration() {
    reload.ifPresentOrElse(
        r -> r.request(ConfigReload.Trigger.SIGHUP),
        () -> log.warn("SIGHUP: serve was started without --config, there is nothing to reload"));
  }

  /**
   * Stops the config reload, the status API, the control loop and xDS server, then the provider.
   */
  @Override
  public void close() {
    reload.ifPresent(ConfigReload::close);
    logger.shutdownNow();
    status.stop();
    controlPlane.close();
    provider.close();
    log.info("stopped");
  }
}
