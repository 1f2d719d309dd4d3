package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.status.StatusServer;
import io.azmesh.status.StatusServerConfig;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.MeshEvent.Kind;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** meshctl events against the real status server, over events the test records. */
class EventsCommandTest {
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00.250Z");
  private static final Duration DEADLINE = Duration.ofSeconds(30);

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
  void events_table_listsEveryEventOldestFirst() {
    String url = start();
    recordThree();

    MeshctlRun run = MeshctlRun.of("events", "--url", url);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            TIME                  TYPE     KIND                 SUBJECT  SERVICE  REASON
            2026-11-26T10:00:00Z  Normal   instance-added       app-0    app      discovered, running
            2026-11-26T10:00:00Z  Normal   instance-draining    app-1    app      power state deallocating
            2026-11-26T10:00:00Z  Warning  proxy-nacked         edge-1   -        endpoints e2: port 0 is out of range
            """);
  }

  @Test
  void events_none_saysSo() {
    String url = start();

    MeshctlRun run = MeshctlRun.of("events", "--url", url);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("No events.\n");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void events_kind_printsEachKindUnderItsLabel(Kind kind) {
    String url = start();
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 1");
    log.record(kind, "subject-1", Optional.of("app"), "because of " + kind.label());

    MeshctlRun run = MeshctlRun.of("events", "--url", url, "--kind", kind.label());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().toList().get(run.out().lines().toList().size() - 1))
        .startsWith("2026-11-26T10:00:00Z  ")
        .contains("  " + kind.label() + "  ")
        .endsWith("  subject-1  app      because of " + kind.label());
  }

  @Test
  void events_service_keepsOnlyThatService() {
    String url = start();
    recordThree();

    MeshctlRun run = MeshctlRun.of("events", "--url", url, "--service", "app", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode body = json(run.out());
    assertThat(body.get("events")).hasSize(2);
    assertThat(body.get("last_sequence").asLong()).isEqualTo(3);
  }

  @Test
  void events_json_isTheApisDocument() {
    String url = start();
    recordThree();

    MeshctlRun run = MeshctlRun.of("events", "--url", url, "-o", "json");

    JsonNode body = json(run.out());
    assertThat(body.get("first_sequence").asLong()).isEqualTo(1);
    assertThat(body.get("last_sequence").asLong()).isEqualTo(3);
    JsonNode nack = body.get("events").get(2);
    assertThat(nack.get("kind").asText()).isEqualTo("proxy-nacked");
    assertThat(nack.get("severity").asText()).isEqualTo("warning");
    assertThat(nack.get("at").asText()).isEqualTo("2026-11-26T10:00:00.250Z");
    assertThat(nack.get("service").isNull()).isTrue();
  }

  @Test
  void events_unknownKind_showsTheServersAnswer() {
    String url = start();

    MeshctlRun run = MeshctlRun.of("events", "--url", url, "--kind", "vm-added");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith(
            "meshctl: "
                + url
                + "/api/events?kind=vm-added answered 400: query parameter kind is 'vm-added',"
                + " not one of instance-added, ");
  }

  @Test
  void events_followWithYaml_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("events", "--follow", "-o", "yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("meshctl: --follow prints a table or JSON lines, not yaml\n");
  }

  @Test
  void events_followTooOften_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("events", "--follow", "--interval", "10ms");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("meshctl: --interval is 10ms; ask at most every 100ms\n");
  }

  @Test
  void events_follow_printsTheKeptEventsThenNewOnesUntilStopped() throws Exception {
    String url = start();
    log.record(Kind.INSTANCE_ADDED, "app-0", Optional.of("app"), "discovered, running");
    Following following =
        Following.start("events", "--url", url, "--follow", "--interval", "100ms");

    following.awaitOutput(out -> out.contains("instance-added"));
    log.record(Kind.INSTANCE_DRAINING, "app-0", Optional.of("app"), "tag mesh-service removed");
    following.awaitOutput(out -> out.contains("instance-draining"));
    log.record(Kind.INSTANCE_REMOVED, "app-0", Optional.of("app"), "drained for 30s");
    following.awaitOutput(out -> out.contains("instance-removed"));

    assertThat(following.stop()).isZero();
    assertThat(following.out())
        .isEqualTo(
            """
            TIME                  TYPE     KIND                 SUBJECT  SERVICE  REASON
            2026-11-26T10:00:00Z  Normal   instance-added       app-0    app      discovered, running
            2026-11-26T10:00:00Z  Normal   instance-draining    app-0    app      tag mesh-service removed
            2026-11-26T10:00:00Z  Normal   instance-removed     app-0    app      drained for 30s
            """);
  }

  @Test
  void events_followJson_printsOneEventPerLine() throws Exception {
    String url = start();
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 1");
    Following following =
        Following.start("events", "--url", url, "-f", "--interval", "100ms", "-o", "json");

    following.awaitOutput(out -> out.contains("version 1"));
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 2");
    following.awaitOutput(out -> out.contains("version 2"));

    assertThat(following.stop()).isZero();
    List<String> lines = following.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(json(lines.get(0)).get("sequence").asLong()).isEqualTo(1);
    assertThat(json(lines.get(1)).get("reason").asText()).isEqualTo("version 2");
  }

  /**
   * A real control plane over the file provider, driven through a scripted run: meshctl events
   * prints the events that run makes, named here rather than read back from the control plane.
   */
  @Test
  void events_ofARealControlPlane_areTheOnesAScriptedRunMakes() throws Exception {
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            "instances:\n  - {name: app-0, private_ip: 10.0.0.4, tags: {mesh-service: app}}\n");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (FileDiscoveryProvider provider = FileDiscoveryProvider.of(inventory);
        ControlPlane controlPlane =
            ControlPlane.builder(provider, MeshConfig.defaults())
                .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
                .meterRegistry(registry)
                .start()) {
      assertThat(controlPlane.loop().refreshNow())
          .isIn(RefreshOutcome.PUBLISHED, RefreshOutcome.UNCHANGED);
      // app-1 joins, in one step so the provider's watch never reads half a file.
      Path next =
          Files.writeString(
              dir.resolve("inventory.next"),
              "instances:\n  - {name: app-0, private_ip: 10.0.0.4, tags: {mesh-service: app}}\n"
                  + "  - {name: app-1, private_ip: 10.0.0.5, tags: {mesh-service: app}}\n");
      Files.move(
          next, inventory, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(controlPlane.loop().refreshNow())
          .isIn(RefreshOutcome.PUBLISHED, RefreshOutcome.UNCHANGED);
      server =
          new StatusServer(
              StatusServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0),
              controlPlane,
              registry,
              Clock.systemUTC());
      String url = "http://127.0.0.1:" + server.start();

      JsonNode body = json(MeshctlRun.of("events", "--url", url, "-o", "json").out());
      MeshctlRun table = MeshctlRun.of("events", "--url", url);

      List<String> expected =
          List.of(
              "service-appeared app",
              "instance-added app-0",
              "snapshot-published snapshot 1",
              "instance-added app-1",
              "snapshot-published snapshot 2");
      List<String> printed = new java.util.ArrayList<>();
      body.get("events")
          .forEach(e -> printed.add(e.get("kind").asText() + " " + e.get("subject").asText()));
      assertThat(printed).isEqualTo(expected);
      assertThat(table.exitCode()).as(table.err()).isZero();
      List<String> rows = table.out().lines().toList();
      assertThat(rows.get(0)).startsWith("TIME  ");
      assertThat(rows.subList(1, rows.size()))
          .map(line -> line.split(" {2,}"))
          .map(cells -> cells[2] + " " + cells[3])
          .isEqualTo(expected);
    }
  }

  private void recordThree() {
    log.record(Kind.INSTANCE_ADDED, "app-0", Optional.of("app"), "discovered, running");
    log.record(Kind.INSTANCE_DRAINING, "app-1", Optional.of("app"), "power state deallocating");
    log.record(
        Kind.PROXY_NACKED, "edge-1", Optional.empty(), "endpoints e2: port 0 is out of range");
  }

  private String start() {
    DiscoveryStatus discovery =
        new DiscoveryStatus(
            "file",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0,
            0,
            Optional.empty(),
            List.of(),
            Optional.empty());
    server =
        new StatusServer(
            StatusServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0),
            new StaticMeshState(Optional.empty(), discovery, List.of(), log),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Clock.fixed(AT, ZoneOffset.UTC));
    return "http://127.0.0.1:" + server.start();
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** meshctl running in its own thread, as in a terminal; {@link #stop} is its Ctrl-C. */
  private record Following(
      Thread thread, StringWriter printed, StringWriter err, AtomicInteger exit) {
    static Following start(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      AtomicInteger exit = new AtomicInteger(-1);
      CommandLine commandLine = Meshctl.commandLine(Map.of());
      commandLine.setOut(new PrintWriter(out, true));
      commandLine.setErr(new PrintWriter(err, true));
      Thread thread = new Thread(() -> exit.set(commandLine.execute(args)), "meshctl-events");
      thread.start();
      return new Following(thread, out, err, exit);
    }

    void awaitOutput(java.util.function.Predicate<String> condition) {
      BooleanSupplier done = () -> condition.test(out());
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (!done.getAsBoolean()) {
        if (!thread.isAlive()) {
          throw new AssertionError("meshctl ended early: " + err + out());
        }
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("timed out waiting for meshctl events to print; got:\n" + out());
        }
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
    }

    String out() {
      return printed.toString();
    }

    /** Interrupts it and returns its exit code. */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(DEADLINE.toMillis());
      assertThat(thread.isAlive()).as("meshctl events stopped").isFalse();
      return exit.get();
    }
  }
}
