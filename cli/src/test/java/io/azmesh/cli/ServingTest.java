package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.status.StatusServerConfig;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl serve} end to end: the file provider, the translator, the xDS server and the
 * status API in one process, with grpc-java's own xDS client (proxyless gRPC) as the peer.
 */
class ServingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String MESH = "services:\n  greeter:\n    protocol: grpc\n";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private HealthBackend first;
  private HealthBackend second;
  private Serving serving;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (serving != null) {
      serving.close();
    }
    for (HealthBackend backend : new HealthBackend[] {first, second}) {
      if (backend != null) {
        backend.close();
      }
    }
  }

  @Test
  void serve_proxylessClientFollowsInventoryEdits() throws Exception {
    first = HealthBackend.start();
    second = HealthBackend.start();
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, inventoryWith("greeter-0", first.port()));
    serving = Serving.start(settings(inventory));

    channel = XdsChannels.open("greeter", serving.xdsPort(), "serve-test");
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    awaitTrue(
        () -> callSucceeds(health) && first.calls() > 0, "the client reaches the first backend");

    JsonNode vms = getJson(serving.statusPort(), "/api/vms");
    assertThat(vms.get("total_vms").asInt()).isEqualTo(1);
    assertThat(vms.get("vms").get(0).get("name").asText()).isEqualTo("greeter-0");
    assertThat(vms.get("vms").get(0).get("private_ip").asText()).isEqualTo("127.0.0.1");

    Files.writeString(inventory, inventoryWith("greeter-1", second.port()));

    awaitTrue(
        () -> callSucceeds(health) && second.calls() > 0,
        "the edit reaches the client: calls go to the second backend");
    // greeter-0 left the inventory (no drain here): once the client has the edit, runs of calls
    // all go to greeter-1, and the removed backend gets none of them.
    awaitTrue(() -> callsAllMiss(health, first, 10), "calls to stop reaching greeter-0");
    long removedCalls = first.calls();
    long keptCalls = second.calls();
    for (int i = 0; i < 20; i++) {
      assertThat(callSucceeds(health)).as("call %d after the edit", i).isTrue();
    }
    assertThat(first.calls()).as("calls to the removed greeter-0").isEqualTo(removedCalls);
    assertThat(second.calls()).isEqualTo(keptCalls + 20);
    awaitTrue(
        () -> vmNames(serving.statusPort()).contains("greeter-1"),
        "the status API shows the edited inventory");

    // One registry: the control plane's event meters and the status server's gauges side by side.
    Map<String, Double> metrics = metrics(serving.statusPort());
    assertThat(metrics.get("azmesh_snapshots_published_total")).isGreaterThanOrEqualTo(2.0);
    assertThat(metrics.get("azmesh_xds_streams_open")).isEqualTo(1.0);
    assertThat(metrics.get("azmesh_xds_acks_total{type=\"endpoints\"}"))
        .isGreaterThanOrEqualTo(2.0);
    assertThat(metrics.get("azmesh_instances{state=\"serving\"}")).isGreaterThanOrEqualTo(1.0);
  }

  /** The samples of {@code /metrics}, by series as written, read line by line. */
  private Map<String, Double> metrics(int port) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    response
        .body()
        .lines()
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .forEach(
            line -> {
              int split = line.lastIndexOf(' ');
              samples.put(line.substring(0, split), Double.valueOf(line.substring(split + 1)));
            });
    return samples;
  }

  @Test
  void close_releasesBothPorts() throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, "instances: []\n");
    serving = Serving.start(settings(inventory));
    int xdsPort = serving.xdsPort();
    int statusPort = serving.statusPort();

    serving.close();
    serving = null;

    assertThatThrownBy(() -> new Socket("127.0.0.1", xdsPort).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> new Socket("127.0.0.1", statusPort).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void serve_secondServeOnTheSameStateDirectoryFailsNamingItAndTheHolder() throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, "instances: []\n");
    Path state = dir.resolve("state");
    serving = Serving.start(settings(inventory, Optional.of(state)));

    assertThatThrownBy(() -> Serving.start(settings(inventory, Optional.of(state))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "state directory "
                + state
                + " is in use by another control plane (pid "
                + ProcessHandle.current().pid()
                + " since ")
        .hasMessageEndingWith(
            "); run one serve per state directory, or give this one its own --state-dir");
  }

  private Serving.Settings settings(Path inventory) {
    return settings(inventory, Optional.empty());
  }

  private Serving.Settings settings(Path inventory, Optional<Path> stateDirectory) {
    return new Serving.Settings(
        FileDiscoveryProvider.of(inventory),
        MeshConfig.parse(MESH, "mesh.yaml"),
        XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build(),
        // A replaced instance leaves at once: no drain, and the mass-removal guard (its own tests)
        // lets the removal of a service's only instance through.
        ControlLoopConfig.builder().drainPeriod(Duration.ZERO).massRemovalFraction(1.0).build(),
        StatusServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0),
        stateDirectory,
        "provider file; inventory " + inventory,
        Optional.empty());
  }

  private static String inventoryWith(String name, int port) {
    return "instances:\n  - name: "
        + name
        + "\n    private_ip: 127.0.0.1\n    zone: \"1\"\n    location: local\n"
        + "    tags: {mesh-service: greeter, mesh-port: \""
        + port
        + "\"}\n";
  }

  private static boolean callSucceeds(HealthGrpc.HealthBlockingStub health) {
    try {
      health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
      return true;
    } catch (io.grpc.StatusRuntimeException e) {
      return false;
    }
  }

  /** Whether {@code count} calls in a row succeed without one reaching {@code backend}. */
  private static boolean callsAllMiss(
      HealthGrpc.HealthBlockingStub health, HealthBackend backend, int count) {
    long before = backend.calls();
    for (int i = 0; i < count; i++) {
      if (!callSucceeds(health)) {
        return false;
      }
    }
    return backend.calls() == before;
  }

  private List<String> vmNames(int statusPort) {
    try {
      return getJson(statusPort, "/api/vms").get("vms").findValuesAsText("name");
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private JsonNode getJson(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  /** Polls {@code condition} until it holds or the deadline passes. */
  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
