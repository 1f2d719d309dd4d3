package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.status.BearerToken;
import io.azmesh.status.StatusServer;
import io.azmesh.status.StatusServerConfig;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.InstanceStatus.ServiceEndpoint;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.MeshEvent.Kind;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import io.azmesh.xds.server.serving.NodeStatus.Nack;
import io.azmesh.xds.server.serving.NodeStatus.SyncState;
import io.azmesh.xds.server.serving.NodeStatus.TypeStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** meshctl status against the real status server, fed by a fixed {@link StaticMeshState}. */
class StatusCommandTest {
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;
  private final EventLog log = new EventLog(Clock.fixed(AT, ZoneOffset.UTC), 100);
  private StatusServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void status_summarizesServicesProxiesProblemsAndTheLastFiveEvents() {
    String url = start(StatusServerConfig.defaults());
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 1");
    log.record(Kind.SERVICE_APPEARED, "app", Optional.of("app"), "first instance app-0");
    log.record(Kind.INSTANCE_ADDED, "app-0", Optional.of("app"), "discovered, running");
    log.record(Kind.INSTANCE_ADDED, "app-1", Optional.of("app"), "discovered, running");
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 2");
    log.record(Kind.INSTANCE_DRAINING, "app-1", Optional.of("app"), "power state deallocating");
    log.record(
        Kind.PROXY_NACKED, "edge-1", Optional.empty(), "endpoints e2: port 0 is out of range");

    MeshctlRun run = MeshctlRun.of("status", "--url", url);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            Discovery: file, last success 2026-11-26T10:00:00Z, 0 consecutive failures, 1 problems
            Last discovery error (parse) at 2026-11-26T09:59:00Z: inv.yaml:3: private_ip is 'x', not an IP addr…
            Snapshot: version 2

            SERVICE  SERVING  DRAINING  TOTAL
            app      1        1         2
            web      1        0         1

            Proxies: 1 synced, 0 stale, 1 nacked
            NODE    CLUSTER  SYNC    CDS     EDS     LDS     RDS       USER AGENT
            edge-0  edge     SYNCED  SYNCED  SYNCED  SYNCED  SYNCED    envoy 1.31.0
            edge-1  edge     NACKED  SYNCED  NACKED  STALE   NOT SENT  envoy 1.31.0

            edge-1 NACKed endpoints version e2: endpoint port 0 is out of range

            Problems (1):
              gateway edge: route /db is 'db', names a service with no instances

            Last 5 events:
            TIME                  TYPE     KIND                 SUBJECT   SERVICE  REASON
            2026-11-26T10:00:00Z  Normal   instance-added       app-0     app      discovered, running
            2026-11-26T10:00:00Z  Normal   instance-added       app-1     app      discovered, running
            2026-11-26T10:00:00Z  Normal   snapshot-published   snapshot  -        version 2
            2026-11-26T10:00:00Z  Normal   instance-draining    app-1     app      power state deallocating
            2026-11-26T10:00:00Z  Warning  proxy-nacked         edge-1    -        endpoints e2: port 0 is out …
            """);
  }

  @Test
  void status_longValues_areCutToFitIn100Columns() {
    String url = start(StatusServerConfig.defaults());
    log.record(
        Kind.DISCOVERY_FAILED,
        "/subscriptions/0000/resourceGroups/backends/providers/Microsoft.Compute/virtualMachines",
        Optional.empty(),
        "throttled: ".repeat(20));

    MeshctlRun run = MeshctlRun.of("status", "--url", url);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    assertThat(run.out().lines().filter(line -> line.contains("discovery-failed")))
        .singleElement()
        .satisfies(line -> assertThat(line).hasSize(100).endsWith("…"));
  }

  @Test
  void status_json_holdsBothAnswers() throws Exception {
    String url = start(StatusServerConfig.defaults());

    MeshctlRun run = MeshctlRun.of("status", "--url", url, "-o", "json");

    JsonNode document = new ObjectMapper().readTree(run.out());
    assertThat(document.get("problems").get("provider").asText()).isEqualTo("file");
    assertThat(document.get("nodes").get("nodes")).hasSize(2);
    assertThat(document.get("services").get("services")).hasSize(2);
    assertThat(document.get("events").get("events")).isEmpty();
  }

  @Test
  void status_withToken_isAllowedIn() throws Exception {
    String url = start(StatusServerConfig.defaults().withToken(BearerToken.of("s3cret-token")));
    Path tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n");

    MeshctlRun run = MeshctlRun.of("status", "--url", url, "--token-file", tokenFile.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("edge-0");
  }

  @Test
  void status_withoutToken_showsTheServersAnswer() {
    String url = start(StatusServerConfig.defaults().withToken(BearerToken.of("s3cret-token")));

    MeshctlRun run = MeshctlRun.of("status", "--url", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("meshctl: " + url + "/api/problems answered 401");
  }

  @Test
  void status_nothingListening_failsNamingTheUrl() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    MeshctlRun run = MeshctlRun.of("status", "--url", "http://127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "meshctl: cannot connect to the status API at http://127.0.0.1:"
                + port
                + "/api/problems\n");
  }

  @Test
  void status_badUrl_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("status", "--url", "127.0.0.1:8080");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: --url is '127.0.0.1:8080', not an http(s) URL such as"
                + " http://127.0.0.1:8080\n");
  }

  @Test
  void status_missingTokenFile_isAUsageError() {
    Path absent = dir.resolve("absent");

    MeshctlRun run =
        MeshctlRun.of("status", "--url", "http://127.0.0.1:1", "--token-file", absent.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("meshctl: --token-file " + absent + " does not exist\n");
  }

  @Test
  void status_withAChangeQueueShowsItsStateCauseAndCounts() {
    ChangeFeedStatus feed =
        new ChangeFeedStatus(
            "https://meshevents.queue.core.windows.net/replica-0",
            ChangeFeedStatus.State.FAILING,
            Optional.of(
                "not found: HTTP 404 QueueNotFound; the queue was deleted or never created"),
            AT.minusSeconds(120),
            12,
            3,
            1,
            4,
            2,
            7,
            Optional.of(java.time.Duration.ofMillis(1500)));
    String url = start(StatusServerConfig.defaults(), new WithChangeFeed(state(), feed));

    MeshctlRun run = MeshctlRun.of("status", "--url", url);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            """
            Change queue: failing since 2026-11-26T09:58:00Z
              https://meshevents.queue.core.windows.net/replica-0
              not found: HTTP 404 QueueNotFound; the queue was deleted or never created
              events read 12, ignored 3, rejected 1; 4 refreshes, 2 unannounced changes; oldest message 1.5 s
            """);
  }

  /** A moment of a control plane whose provider reads a change queue. */
  private record WithChangeFeed(StaticMeshState mesh, ChangeFeedStatus feed)
      implements io.azmesh.xds.server.MeshState {
    @Override
    public Optional<io.azmesh.xds.server.loop.PublishedSnapshot> published() {
      return mesh.published();
    }

    @Override
    public DiscoveryStatus discovery() {
      return mesh.discovery();
    }

    @Override
    public List<io.azmesh.xds.server.serving.NodeStatus> nodes() {
      return mesh.nodes();
    }

    @Override
    public List<io.azmesh.xds.server.loop.MeshEvent> events(long afterSequence) {
      return mesh.events(afterSequence);
    }

    @Override
    public Optional<ChangeFeedStatus> changeFeed() {
      return Optional.of(feed);
    }
  }

  private String start(StatusServerConfig config) {
    return start(config, state());
  }

  private String start(StatusServerConfig config, io.azmesh.xds.server.MeshState state) {
    server =
        new StatusServer(
            config.withBindAddress("127.0.0.1").withPort(0),
            state,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Clock.fixed(AT, ZoneOffset.UTC));
    return "http://127.0.0.1:" + server.start();
  }

  private StaticMeshState state() {
    DiscoveryStatus discovery =
        new DiscoveryStatus(
            "file",
            Optional.empty(),
            Optional.of(AT),
            Optional.of(AT),
            0,
            1,
            Optional.of(
                new DiscoveryStatus.ProviderError(
                    "parse",
                    "inv.yaml:3: private_ip is 'x', not an IP address",
                    AT.minusSeconds(60))),
            List.of(),
            Optional.empty());
    TypeStatus synced = new TypeStatus(Optional.of("v1"), Optional.of("v1"), Optional.empty());
    NodeStatus edge0 =
        new NodeStatus(
            "edge-0",
            "edge",
            Optional.empty(),
            "envoy 1.31.0",
            Optional.of(AT),
            Map.of("clusters", synced, "endpoints", synced, "listeners", synced, "routes", synced),
            SyncState.SYNCED);
    NodeStatus edge1 =
        new NodeStatus(
            "edge-1",
            "edge",
            Optional.empty(),
            "envoy 1.31.0",
            Optional.of(AT),
            Map.of(
                "clusters",
                synced,
                "endpoints",
                new TypeStatus(
                    Optional.of("e2"),
                    Optional.of("e1"),
                    Optional.of(new Nack("e2", "7", "endpoint port 0 is out of range", AT))),
                "listeners",
                new TypeStatus(Optional.of("l2"), Optional.of("l1"), Optional.empty()),
                "routes",
                new TypeStatus(Optional.empty(), Optional.empty(), Optional.empty())),
            SyncState.NACKED);
    Instance app0 = Instance.builder("app-0", "app-0", "10.0.0.4").build();
    Instance app1 = Instance.builder("app-1", "app-1", "10.0.0.5").build();
    Instance web0 = Instance.builder("web-0", "web-0", "10.0.1.4").build();
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            2,
            AT,
            XdsResources.of(List.of(), List.of(), List.of(), List.of()),
            List.of(
                new InstanceStatus(
                    app0,
                    InstanceStatus.State.SERVING,
                    List.of(endpoint("app", "10.0.0.4", InstanceStatus.State.SERVING)),
                    List.of()),
                new InstanceStatus(
                    app1,
                    InstanceStatus.State.DRAINING,
                    List.of(endpoint("app", "10.0.0.5", InstanceStatus.State.DRAINING)),
                    List.of()),
                new InstanceStatus(
                    web0,
                    InstanceStatus.State.SERVING,
                    List.of(endpoint("web", "10.0.1.4", InstanceStatus.State.SERVING)),
                    List.of())),
            List.of(
                Problem.of(
                    "gateway edge", "route /db", "db", "names a service with no instances")));
    return new StaticMeshState(Optional.of(snapshot), discovery, List.of(edge0, edge1), log);
  }

  private static ServiceEndpoint endpoint(
      String service, String address, InstanceStatus.State state) {
    return new ServiceEndpoint(service, service, address, 8080, 1, state);
  }
}
