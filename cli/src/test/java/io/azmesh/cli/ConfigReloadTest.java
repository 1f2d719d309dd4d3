package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code meshctl serve --config FILE} while the file is edited: the mesh configuration reaches
 * Envoy-like raw streams (state of the world and delta) and grpc-java's own xDS client without a
 * restart and without a failed call; a bad edit keeps the last good configuration serving with a
 * problem, and fixing the file clears it; options stay as serve started.
 */
class ConfigReloadTest {
  private static final String MESH =
      """
      services:
        greeter:
          protocol: grpc
          request_timeout: 15s
          health_check: {kind: grpc, interval: 5s}
      """;

  /** The same service with another health check interval and request timeout. */
  private static final String EDITED =
      """
      services:
        greeter:
          protocol: grpc
          request_timeout: 20s
          health_check: {kind: grpc, interval: 3s}
      """;

  @TempDir Path dir;
  private Path config;
  private HealthBackend backend;
  private Serving serving;
  private ManagedChannel channel;

  private final Logger serveLog =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ProblemLog.LOGGER);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void startServe() throws Exception {
    serveLog.setLevel(Level.INFO);
    logged.start();
    serveLog.addAppender(logged);
    backend = HealthBackend.start();
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            "instances:\n  - name: greeter-0\n    private_ip: 127.0.0.1\n    zone: \"1\"\n"
                + "    location: local\n    tags: {mesh-service: greeter, mesh-port: \""
                + backend.port()
                + "\"}\n");
    config = Files.writeString(dir.resolve("azmesh.yaml"), "meshctl:\n  refresh: 30s\n" + MESH);
    serving = ParsedServe.startWithConfig(config, inventory, dir.resolve("state"));
  }

  @AfterEach
  void stop() throws Exception {
    serveLog.detachAppender(logged);
    serveLog.setLevel(null);
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    serving.close();
    backend.close();
  }

  @Test
  void edit_healthCheckAndTimeout_reachEnvoyLikeStreamsAndGrpcClientWithoutAFailedCall()
      throws Exception {
    channel = XdsChannels.open("greeter", serving.xdsPort(), "grpc-client");
    // The load counts calls through a resolved channel: the change, not the client's start.
    Await.until(() -> callSucceeds(channel), "a first call through grpc-java's xDS client");
    try (WarmingAdsSession sotw =
            WarmingAdsSession.sync(WarmingAdsSession.Mode.SOTW, serving.xdsPort(), "edge-sotw");
        WarmingAdsSession delta =
            WarmingAdsSession.sync(WarmingAdsSession.Mode.DELTA, serving.xdsPort(), "edge-delta");
        HealthLoad load = new HealthLoad(channel, 4)) {
      Await.until(() -> load.succeeded() > 50, "calls through grpc-java's xDS client");
      long snapshotBefore = published().snapshotVersion();

      Files.writeString(config, "meshctl:\n  refresh: 30s\n" + EDITED);

      for (WarmingAdsSession stream : List.of(sotw, delta)) {
        WarmingAdsSession.ClusterUpdate update = stream.awaitClusterUpdate();
        assertThat(update.warmed()).containsOnlyKeys("greeter");
        Cluster greeter = update.warmed().get("greeter");
        assertThat(greeter.getHealthChecks(0).getInterval().getSeconds()).isEqualTo(3);
        assertThat(update.endpoints()).containsOnlyKeys("greeter");
        assertThat(update.endpoints().get("greeter").getEndpoints(0).getLbEndpointsCount())
            .isEqualTo(1);
      }
      PublishedSnapshot reloaded = published();
      assertThat(reloaded.snapshotVersion()).isEqualTo(snapshotBefore + 1);
      assertThat(routeTimeoutSeconds(reloaded)).isEqualTo(20);
      for (String node : List.of("edge-sotw", "edge-delta")) {
        Await.until(
            () -> syncedOn(node, "clusters", reloaded) && syncedOn(node, "endpoints", reloaded),
            node + " ACKs the new clusters and the endpoints");
      }
      Await.until(
          () -> syncedOn("grpc-client", "listeners", reloaded),
          "grpc-java ACKs the listener with the new timeout");
      long after = load.succeeded();
      Await.until(() -> load.succeeded() > after + 200, "more calls after the reload");
      load.close();
      assertThat(load.failures()).isEmpty();
    }
    assertThat(reasons(MeshEvent.Kind.CONFIG_RELOADED))
        .containsExactly(
            "clusters: greeter changed; listeners: greeter changed; routes: gateway changed;"
                + " published snapshot 2");
  }

  @Test
  void badEdit_keepsTheLastGoodConfigServingWithAProblem_fixingTheFileClearsIt() throws Exception {
    PublishedSnapshot good = published();

    Files.writeString(config, MESH.replace("request_timeout: 15s", "request_timeout: soon"));

    String refused =
        "line 4, column 5: services.greeter.request_timeout: 'soon' is not a duration such as"
            + " 250ms, 5s, 1m or 1h";
    Await.until(() -> !configProblems().isEmpty(), "the problem of the bad edit");
    assertThat(configProblems())
        .extracting(Problem::message)
        .containsExactly(
            config
                + ": mesh configuration is '"
                + refused
                + "', not applied; the configuration read before keeps serving");
    assertThat(reasons(MeshEvent.Kind.CONFIG_REJECTED))
        .containsExactly("not applied, the configuration read before keeps serving: " + refused);
    assertThat(published().resources()).isEqualTo(good.resources());
    assertThat(published().snapshotVersion()).isEqualTo(good.snapshotVersion());

    Files.writeString(config, EDITED);

    Await.until(() -> configProblems().isEmpty(), "the problem cleared by the fixed file");
    assertThat(clusterOf(published()).getHealthChecks(0).getInterval().getSeconds()).isEqualTo(3);
    assertThat(reasons(MeshEvent.Kind.CONFIG_RELOADED)).hasSize(1);
  }

  @Test
  void optionEdit_isNamedInAWarningAndLeftAsServeStarted() throws Exception {
    int port = serving.xdsPort();

    Files.writeString(config, "meshctl:\n  refresh: 5s\n  xds-port: 18123\n" + MESH);

    Await.until(
        () -> warnings().stream().anyMatch(w -> w.contains("meshctl.")),
        "a warning naming the options");
    assertThat(warnings())
        .containsExactly(
            config
                + ": [meshctl.refresh, meshctl.xds-port] changed; serve reads options only at"
                + " start and keeps the values it started with until it is restarted");
    assertThat(serving.xdsPort()).isEqualTo(port);
    // The section's lines are blanked, not removed: one more of them is another text, same mesh.
    Await.until(
        () -> !reasons(MeshEvent.Kind.CONFIG_RELOADED).isEmpty(), "the reload of the edited file");
    assertThat(reasons(MeshEvent.Kind.CONFIG_RELOADED)).containsExactly("no resource changed");
  }

  @Test
  void reloadConfiguration_asOnSighup_readsTheFileAgainEvenIfUnchanged() throws Exception {
    serving.reloadConfiguration();

    Await.until(() -> !reasons(MeshEvent.Kind.CONFIG_RELOADED).isEmpty(), "the reload asked for");
    assertThat(reasons(MeshEvent.Kind.CONFIG_RELOADED)).containsExactly("no resource changed");
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains("reloading " + config + ": SIGHUP");
  }

  private static boolean callSucceeds(ManagedChannel channel) {
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  private PublishedSnapshot published() {
    return serving.state().published().orElseThrow();
  }

  private static Cluster clusterOf(PublishedSnapshot snapshot) {
    return snapshot.resources().clusters().stream()
        .filter(c -> c.getName().equals("greeter"))
        .findFirst()
        .orElseThrow();
  }

  /** The timeout of the route in greeter's API listener, the one grpc-java applies. */
  private static long routeTimeoutSeconds(PublishedSnapshot snapshot) throws Exception {
    Listener listener =
        snapshot.resources().listeners().stream()
            .filter(l -> l.getName().equals("greeter"))
            .findFirst()
            .orElseThrow();
    var manager =
        listener
            .getApiListener()
            .getApiListener()
            .unpack(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                    .HttpConnectionManager.class);
    return manager
        .getRouteConfig()
        .getVirtualHosts(0)
        .getRoutes(0)
        .getRoute()
        .getTimeout()
        .getSeconds();
  }

  private boolean syncedOn(String nodeId, String type, PublishedSnapshot snapshot) {
    String version =
        switch (type) {
          case "clusters" -> snapshot.resources().versions().clusters();
          case "endpoints" -> snapshot.resources().versions().endpoints();
          default -> snapshot.resources().versions().listeners();
        };
    return serving.state().nodes().stream()
        .filter(n -> n.nodeId().equals(nodeId) && n.connectedSince().isPresent())
        .map(n -> n.types().get(type))
        .anyMatch(t -> t != null && t.ackedVersion().equals(Optional.of(version)));
  }

  private List<Problem> configProblems() {
    MeshState state = serving.state();
    return state.published().map(PublishedSnapshot::problems).orElse(List.of()).stream()
        .filter(p -> p.subject().equals(config.toString()))
        .toList();
  }

  private List<String> reasons(MeshEvent.Kind kind) {
    return serving.state().events(0).stream()
        .filter(e -> e.kind() == kind)
        .map(MeshEvent::reason)
        .toList();
  }

  private List<String> warnings() {
    return logged.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
