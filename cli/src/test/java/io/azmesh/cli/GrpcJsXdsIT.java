package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second, independent xDS client: Node's {@code @grpc/grpc-js-xds} (pinned in {@code
 * src/test/node/package.json}), written by another team than grpc-java's from the same protocol
 * document, against {@code meshctl serve} from the shaded jar with the file provider, with real
 * grpc-js backends, everything on 127.0.0.1 ports picked at run time.
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci} run in {@code src/test/node} ({@code
 * .ci/run} does both); in CI ({@code CI=true}) their absence fails the tests, elsewhere it skips
 * them.
 */
class GrpcJsXdsIT {
  private static final Path JAR = Path.of(System.getProperty("meshctl.jar", "target/meshctl.jar"));
  private static final Path NODE_DIR =
      Path.of(System.getProperty("grpcjs.dir", "src/test/node")).toAbsolutePath();
  private static final String WEB = "xds:///web";
  private static final String API = "xds:///api";
  private static final long DEADLINE_SECONDS = 90;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Drains in a second, and lets a scale to zero through: what these tests watch happen. */
  private static final List<String> OPTIONS =
      List.of("--drain-period", "1s", "--mass-removal-fraction", "1");

  @TempDir Path dir;

  private Path inventory;
  private ServeReplica plane;
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One VM of the inventory: a grpc-js backend, and the power state the inventory gives it. */
  private record Vm(String name, String service, NodeProcess backend, int port, String power) {
    Vm withPower(String next) {
      return new Vm(name, service, backend, port, next);
    }
  }

  @BeforeEach
  void requireNode() throws IOException {
    Optional<Path> node = onPath("node");
    boolean modules = Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/grpc-js-xds"));
    String missing =
        node.isEmpty()
            ? "no node on the PATH (Debian's nodejs package, version 20 or later)"
            : "no node_modules in " + NODE_DIR + ": run npm ci there";
    boolean ready = node.isPresent() && modules;
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ready).as(missing + "; in CI, .ci/run installs it").isTrue();
    } else {
      assumeTrue(ready, missing + "; the test is skipped outside CI");
    }
    assertThat(JAR).as("the shaded jar is built by the package phase").exists();
    inventory = dir.resolve("inventory.yaml");
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void spread_callsReachEveryBackendWithNoFailure() throws Exception {
    start("web", 3);
    NodeClient client = client("spread");
    client.start(WEB, 4);

    Report report =
        client.await(
            WEB,
            r -> r.ok() >= 300 && Stream.of("web-0", "web-1", "web-2").allMatch(r::reached),
            "calls on all three web backends");

    assertThat(report.failed()).as("failed RPCs, last: %s", report.lastError()).isZero();
  }

  @Test
  void powerStateStopped_instanceIsDrainedAndNoCallFails() throws Exception {
    start("web", 3);
    NodeClient client = client("stopped");
    client.start(WEB, 4);
    client.await(WEB, r -> r.reached("web-2"), "calls on web-2");

    vms.put("web-2", vms.get("web-2").withPower("stopped"));
    writeInventory();
    client.awaitNoMoreCallsOn(WEB, "web-2");
    vms.get("web-2").backend().close();
    Report after = client.awaitMoreOk(WEB, 200);

    assertThat(after.failed()).as("failed RPCs, last: %s", after.lastError()).isZero();
  }

  @Test
  void churn_backendsAddedAndRemovedWithNoFailedRpc() throws Exception {
    start("web", 3);
    NodeClient client = client("churn");
    client.start(WEB, 4);
    client.await(WEB, r -> r.reached("web-2"), "calls on web-2");

    for (int round = 0; round < 2; round++) {
      String added = "web-" + (3 + round);
      String removed = "web-" + round;
      addBackend(added, "web");
      writeInventory();
      client.await(WEB, r -> r.reached(added), "calls on " + added);
      Vm gone = vms.remove(removed);
      writeInventory();
      client.awaitNoMoreCallsOn(WEB, removed);
      // Deleted: a call routed to it now would fail.
      gone.backend().close();
      client.awaitMoreOk(WEB, 200);
    }

    Report report = client.latest(WEB);
    assertThat(report.failed()).as("failed RPCs, last: %s", report.lastError()).isZero();
  }

  @Test
  void scaleToZeroAndBack_callsFailWhileNoBackendAndRecover() throws Exception {
    start("web", 2);
    NodeClient client = client("zero");
    client.start(WEB, 2);
    client.await(WEB, r -> r.reached("web-1"), "calls on web-1");

    List<Vm> before = new ArrayList<>(vms.values());
    vms.clear();
    writeInventory();
    Report empty = client.await(WEB, r -> r.failed() > 0, "calls to fail with no backend");
    for (Vm vm : before) {
      vm.backend().close();
    }
    addBackend("web-9", "web");
    writeInventory();
    Report back = client.await(WEB, r -> r.reached("web-9"), "calls on web-9");
    Report after = client.awaitMoreOk(WEB, 200);

    assertThat(empty.lastError()).as("the error with no backend").startsWith("14 ");
    assertThat(after.failed()).as("failures after the scale back").isEqualTo(back.failed());
  }

  @Test
  void controlPlaneRestart_clientKeepsCallingAndFollowsTheNewProcess() throws Exception {
    start("web", 3);
    NodeClient client = client("restart");
    client.start(WEB, 4);
    client.await(WEB, r -> r.reached("web-2"), "calls on web-2");

    int port = plane.xdsPort();
    plane.kill();
    client.awaitMoreOk(WEB, 200);
    plane = ServeReplica.start("plane", JAR, inventory, port, OPTIONS);
    addBackend("web-3", "web");
    writeInventory();
    Report report = client.await(WEB, r -> r.reached("web-3"), "calls on web-3, added after");

    assertThat(report.failed()).as("failed RPCs, last: %s", report.lastError()).isZero();
  }

  /**
   * Issue 21's grpc-js case: a process closes its channel to {@code xds:///web} and opens one to
   * {@code xds:///api}; that must resolve. Emptying its listener subscription then must not bring
   * it every listener.
   */
  @Test
  void channelClosedThenAnotherOpened_resolvesAndEmptySubscriptionGetsNothing() throws Exception {
    addBackend("web-0", "web");
    addBackend("api-0", "api");
    writeInventory();
    plane = ServeReplica.start("plane", JAR, inventory, 0, OPTIONS);
    NodeClient client = client("switcher");

    client.start(WEB, 1);
    client.await(WEB, r -> r.ok() >= 10, "calls to web");
    client.stop(WEB);
    client.start(API, 1);
    client.await(API, r -> r.ok() >= 10, "calls to api after web's channel closed");
    client.stop(API);
    client.start(WEB, 1);
    client.await(WEB, r -> r.ok() >= 10, "calls to web again");

    assertThat(client.unrequested)
        .as("resources sent that the client did not subscribe to")
        .isEmpty();
  }

  // ---------------------------------------------------------------------------------------------

  /** {@code count} backends of {@code service} in the inventory, and the control plane on it. */
  private void start(String service, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      addBackend(service + "-" + i, service);
    }
    writeInventory();
    plane = ServeReplica.start("plane", JAR, inventory, 0, OPTIONS);
  }

  private void addBackend(String name, String service) throws Exception {
    NodeProcess backend = NodeProcess.start(dir, "backend-" + name, Map.of(), "backend", name);
    open.add(backend);
    int port = backend.nextLine().get("port").asInt();
    vms.put(name, new Vm(name, service, backend, port, "running"));
  }

  /** Writes the inventory whole and moves it in place, so the provider never reads half of it. */
  private void writeInventory() throws IOException {
    StringBuilder yaml = new StringBuilder(vms.isEmpty() ? "instances: []\n" : "instances:\n");
    for (Vm vm : vms.values()) {
      yaml.append("  - name: ")
          .append(vm.name())
          .append("\n    private_ip: 127.0.0.1\n    location: local\n    zone: \"1\"\n")
          .append("    power_state: ")
          .append(vm.power())
          .append("\n    tags: {mesh-service: ")
          .append(vm.service())
          .append(", mesh-port: \"")
          .append(vm.port())
          .append("\"}\n");
    }
    Path next = dir.resolve("inventory.next");
    Files.writeString(next, yaml);
    Files.move(
        next, inventory, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private NodeClient client(String nodeId) throws IOException {
    String bootstrap =
        JSON.writeValueAsString(
            Map.of(
                "xds_servers",
                List.of(
                    Map.of(
                        "server_uri", "127.0.0.1:" + plane.xdsPort(),
                        "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))),
                "node",
                Map.of("id", nodeId, "cluster", "grpc-js", "locality", Map.of("zone", "1"))));
    NodeClient client =
        new NodeClient(
            NodeProcess.start(
                dir,
                "client-" + nodeId,
                Map.of(
                    "GRPC_XDS_BOOTSTRAP_CONFIG", bootstrap,
                    "GRPC_TRACE", "xds_client",
                    "GRPC_VERBOSITY", "DEBUG"),
                "client"));
    open.add(client);
    return client;
  }

  private static Optional<Path> onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** One target's counts as the client last reported them. */
  record Report(long ok, long failed, Map<String, Long> byBackend, String lastError) {
    boolean reached(String backend) {
      return byBackend.getOrDefault(backend, 0L) > 0;
    }

    long on(String backend) {
      return byBackend.getOrDefault(backend, 0L);
    }

    static Report of(JsonNode line) {
      Map<String, Long> byBackend = new LinkedHashMap<>();
      line.get("byBackend")
          .fields()
          .forEachRemaining(e -> byBackend.put(e.getKey(), e.getValue().asLong()));
      return new Report(
          line.get("ok").asLong(),
          line.get("failed").asLong(),
          byBackend,
          line.get("lastError").asText());
    }
  }

  /** A grpc-js-xds client process: started and stopped per target, reporting every 200 ms. */
  private static final class NodeClient implements AutoCloseable {
    private final NodeProcess process;
    private final Map<String, Report> latest = new ConcurrentHashMap<>();
    final List<String> unrequested = new CopyOnWriteArrayList<>();

    NodeClient(NodeProcess process) {
      this.process = process;
      process.onLine(
          line -> {
            if (line.has("target") && line.has("ok")) {
              latest.put(line.get("target").asText(), Report.of(line));
            } else if ("unrequested".equals(line.path("event").asText())) {
              unrequested.add(line.get("detail").asText());
            }
          });
    }

    void start(String target, int concurrency) throws IOException {
      latest.remove(target);
      process.send("start " + target + " " + concurrency);
    }

    void stop(String target) throws IOException {
      process.send("stop " + target);
    }

    Report latest(String target) {
      Report report = latest.get(target);
      assertThat(report).as("a report on " + target).isNotNull();
      return report;
    }

    /** Waits, bounded, until the target's latest report matches. */
    Report await(String target, Predicate<Report> condition, String what)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      while (System.nanoTime() < deadline) {
        Report report = latest.get(target);
        if (report != null && condition.test(report)) {
          return report;
        }
        Thread.sleep(50);
      }
      throw new AssertionError(
          "timed out after "
              + DEADLINE_SECONDS
              + " s waiting for "
              + what
              + "; last report "
              + latest.get(target)
              + "; client log: "
              + process.log());
    }

    Report awaitMoreOk(String target, long more) throws InterruptedException {
      long target0 = latest(target).ok() + more;
      return await(target, r -> r.ok() >= target0, more + " more successful calls to " + target);
    }

    /** Waits until {@code backend} gets no call through 200 successful calls in a row. */
    void awaitNoMoreCallsOn(String target, String backend) throws InterruptedException {
      for (int round = 0; round < 50; round++) {
        long calls = latest(target).on(backend);
        Report after = awaitMoreOk(target, 200);
        if (after.on(backend) == calls) {
          return;
        }
      }
      throw new AssertionError(backend + " kept getting calls: " + latest(target));
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }
  }

  /** A node process running xds-e2e.js, its stdout read as JSON lines, its stderr to a file. */
  private static final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final java.util.concurrent.BlockingQueue<JsonNode> lines =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile java.util.function.Consumer<JsonNode> consumer;

    private NodeProcess(Process process, Path log) {
      this.process = process;
      this.log = log;
      this.stdin =
          new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(this::read, "node-" + log.getFileName());
      reader.setDaemon(true);
      reader.start();
    }

    static NodeProcess start(Path dir, String name, Map<String, String> env, String... args)
        throws IOException {
      List<String> command =
          new ArrayList<>(List.of("node", NODE_DIR.resolve("xds-e2e.js").toString()));
      command.addAll(List.of(args));
      Path log = dir.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(NODE_DIR.toFile())
              .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
      builder.environment().putAll(env);
      return new NodeProcess(builder.start(), log);
    }

    void onLine(java.util.function.Consumer<JsonNode> next) {
      consumer = next;
    }

    JsonNode nextLine() throws InterruptedException {
      JsonNode line = lines.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("node printed nothing; its log: " + log());
      }
      return line;
    }

    void send(String command) throws IOException {
      stdin.write(command + "\n");
      stdin.flush();
    }

    String log() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }

    private void read() {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          JsonNode json = JSON.readTree(line);
          java.util.function.Consumer<JsonNode> current = consumer;
          if (current != null) {
            current.accept(json);
          } else {
            lines.add(json);
          }
        }
      } catch (IOException e) {
        // The process ended; a test waiting on it fails with its log.
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
