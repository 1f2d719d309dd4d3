package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.xds.XdsVersions;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status server over the real control plane ({@link ControlPlane} is the production {@code
 * MeshState}) with the real translator, fed by the real file provider: what an operator sees from a
 * cold start onwards.
 */
class StatusServerControlPlaneTest {

  private static final String INSTANCES = "instances:\n";
  private static final String APP_0 =
      "  - {name: app-0, private_ip: 10.0.0.4, tags: {mesh-service: app}}\n";

  @TempDir Path dir;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private FileMesh mesh;
  private ControlPlane controlPlane;
  private Path inventory;
  private StatusServer server;
  private StatusClient client;

  @BeforeEach
  void start() {
    mesh = FileMesh.start(dir, ControlLoopConfig.defaults(), registry);
    controlPlane = mesh.controlPlane();
    inventory = mesh.inventory();
    server =
        new StatusServer(
            StatusServerConfig.defaults().withPort(0), controlPlane, registry, Clock.systemUTC());
    client = new StatusClient(server.start());
  }

  @AfterEach
  void stop() {
    server.stop();
    mesh.close();
  }

  private void writeInventory(String content) throws IOException {
    mesh.write(content);
  }

  @Test
  void views_followTheLatestDiscoveryWhenTheSnapshotDoesNotChange() throws IOException {
    writeInventory(INSTANCES + APP_0);
    long version = client.json("/api/vms").get("snapshot_version").asLong();

    writeInventory(
        INSTANCES
            + APP_0
            + "  - {name: app-9, private_ip: 10.0.0.9, tags: {mesh-service: app, mesh-port:"
            + " http}}\n");

    JsonNode vms = client.json("/api/vms");
    assertThat(vms.get("snapshot_version").asLong()).isEqualTo(version);
    assertThat(vms.get("total_vms").asInt()).isEqualTo(2);
    assertThat(vms.get("vms").get(1).get("name").asText()).isEqualTo("app-9");
    assertThat(vms.get("vms").get(1).get("state").asText()).isEqualTo("excluded");
    assertThat(client.json("/api/problems").get("problems").get(0).get("message").asText())
        .isEqualTo("app-9: tag mesh-port is 'http', not a port number (1..65535)");
    PrometheusText metrics = PrometheusText.parse(client.get("/metrics").body());
    assertThat(metrics.value("azmesh_instances{state=\"excluded\"}")).isEqualTo(1.0);
  }

  @Test
  void coldStart_notReadyWhileDiscoveryFailsThenReadyOnceInventoryAppears() throws IOException {
    assertThat(controlPlane.loop().refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);

    assertThat(client.get("/readyz").statusCode()).isEqualTo(503);
    JsonNode problems = client.json("/api/problems");
    assertThat(problems.get("provider").asText()).isEqualTo("file");
    assertThat(problems.get("last_success").isNull()).isTrue();
    assertThat(problems.get("consecutive_failures").asInt()).isPositive();
    assertThat(problems.get("last_error").get("cause").asText()).isEqualTo("io");
    assertThat(problems.get("last_error").get("message").asText())
        .isEqualTo("inventory " + inventory + " does not exist");
    assertThat(client.get("/api/snapshot").statusCode()).isEqualTo(503);

    writeInventory(
        """
        instances:
          - name: app-0
            private_ip: 10.0.0.4
            public_ip: 20.0.0.4
            tags: {mesh-service: app}
          - name: app-1
            private_ip: 10.0.0.5
            tags: {mesh-service: app, mesh-port: http}
        """);

    JsonNode ready = client.json("/readyz");
    long version = ready.get("snapshot_version").asLong();
    assertThat(version).isPositive();
    JsonNode vms = client.json("/api/vms");
    assertThat(vms.get("last_update").isTextual()).isTrue();
    assertThat(vms.get("snapshot_version").asLong()).isEqualTo(version);
    assertThat(vms.get("total_vms").asInt()).isEqualTo(2);
    JsonNode app0 = vms.get("vms").get(0);
    assertThat(app0.get("name").asText()).isEqualTo("app-0");
    assertThat(app0.get("public_ip").asText()).isEqualTo("20.0.0.4");
    assertThat(app0.get("private_ip").asText()).isEqualTo("10.0.0.4");
    assertThat(app0.get("state").asText()).isEqualTo("serving");
    JsonNode app1 = vms.get("vms").get(1);
    assertThat(app1.get("public_ip").isNull()).isTrue();
    assertThat(app1.get("state").asText()).isEqualTo("excluded");
    assertThat(app1.get("problems").get(0).asText())
        .isEqualTo("app-1: tag mesh-port is 'http', not a port number (1..65535)");
    assertThat(vms.get("xds_versions").get("endpoints").asText())
        .isEqualTo(controlPlane.published().orElseThrow().resources().versions().endpoints());

    JsonNode app = client.json("/api/services").get("services").get(0);
    assertThat(app.get("cluster").asText()).isEqualTo("app");
    assertThat(app.get("endpoints_serving").asInt()).isEqualTo(1);
    assertThat(client.json("/api/snapshot").get("clusters").get(0).get("name").asText())
        .isEqualTo("app");
    assertThat(client.json("/api/nodes").get("nodes")).isEmpty();
  }

  @Test
  void everyPublish_raisesSnapshotVersionInApiAndMetrics() throws IOException {
    writeInventory(INSTANCES + APP_0);
    long first = client.json("/api/vms").get("snapshot_version").asLong();

    writeInventory(
        INSTANCES + APP_0 + "  - {name: app-2, private_ip: 10.0.0.6, tags: {mesh-service: app}}\n");

    JsonNode vms = client.json("/api/vms");
    assertThat(vms.get("snapshot_version").asLong()).isEqualTo(first + 1);
    assertThat(vms.get("total_vms").asInt()).isEqualTo(2);
    HttpResponse<String> metrics = client.get("/metrics");
    PrometheusText text = PrometheusText.parse(metrics.body());
    assertThat(text.value("azmesh_snapshot_version")).isEqualTo(first + 1.0);
    assertThat(text.value("azmesh_instances{state=\"serving\"}")).isEqualTo(2.0);
    assertThat(text.value("azmesh_discovery_consecutive_failures")).isZero();
  }

  @Test
  void nodes_showAProxylessGrpcClientAndWhatItAcked() throws IOException {
    writeInventory(INSTANCES + APP_0);
    XdsVersions published = controlPlane.published().orElseThrow().resources().versions();
    try (ProxylessClient proxy =
        ProxylessClient.connect(controlPlane, "app", "status-test-client")) {
      proxy.awaitSynced();

      JsonNode node = client.json("/api/nodes").get("nodes").get(0);
      assertThat(node.get("node_id").asText()).isEqualTo("status-test-client");
      assertThat(node.get("cluster").asText()).isEqualTo("status-tests");
      assertThat(node.get("locality").asText()).isEqualTo("test/1");
      assertThat(node.get("user_agent").asText()).startsWith("gRPC Java");
      assertThat(node.get("connected_since").isTextual()).isTrue();
      assertThat(node.get("sync").asText()).isEqualTo("synced");
      JsonNode types = node.get("types");
      assertThat(types.get("listeners").get("acked_version").asText())
          .isEqualTo(published.listeners());
      assertThat(types.get("clusters").get("acked_version").asText())
          .isEqualTo(published.clusters());
      assertThat(types.get("endpoints").get("acked_version").asText())
          .isEqualTo(published.endpoints());
      assertThat(types.get("endpoints").get("last_nack").isNull()).isTrue();

      PrometheusText metrics = PrometheusText.parse(client.get("/metrics").body());
      assertThat(metrics.value("azmesh_xds_nodes{sync=\"synced\"}")).isEqualTo(1.0);
      assertThat(metrics.value("azmesh_xds_streams_open")).isEqualTo(1.0);
    }
  }

  @Test
  void metrics_showTheControlPlanesEventsOnceEachNextToTheMeshGauges() throws IOException {
    assertThat(controlPlane.loop().refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);
    writeInventory(INSTANCES + APP_0);
    try (ProxylessClient proxy =
        ProxylessClient.connect(controlPlane, "app", "metrics-test-client")) {
      proxy.awaitSynced();
      writeInventory(
          INSTANCES
              + APP_0
              + "  - {name: app-2, private_ip: 10.0.0.6, tags: {mesh-service: app}}\n");
      proxy.awaitSynced();

      String body = client.get("/metrics").body();
      PrometheusText metrics = PrometheusText.parse(body);

      assertThat(metrics.value("azmesh_discovery_failures_total{cause=\"io\"}"))
          .isGreaterThanOrEqualTo(1.0);
      assertThat(metrics.value("azmesh_discovery_duration_seconds_count{outcome=\"success\"}"))
          .isGreaterThanOrEqualTo(2.0);
      assertThat(metrics.value("azmesh_discovery_api_calls_count")).isGreaterThanOrEqualTo(2.0);
      assertThat(metrics.value("azmesh_discovery_api_calls_sum")).isZero();
      assertThat(metrics.value("azmesh_snapshots_published_total"))
          .isEqualTo(metrics.value("azmesh_snapshot_version"))
          .isEqualTo(2.0);
      assertThat(metrics.value("azmesh_snapshots_rejected_total")).isZero();
      assertThat(metrics.value("azmesh_incremental_drift_total")).isZero();
      assertThat(metrics.value("azmesh_xds_streams_open")).isEqualTo(1.0);
      assertThat(metrics.value("azmesh_xds_acks_total{type=\"endpoints\"}"))
          .isGreaterThanOrEqualTo(2.0);
      assertThat(metrics.value("azmesh_xds_nacks_total{type=\"endpoints\"}")).isZero();
      // Only the second version changed while the client was connected.
      assertThat(metrics.value("azmesh_xds_change_to_ack_seconds_count{type=\"endpoints\"}"))
          .isEqualTo(1.0);
      assertThat(
              metrics.value(
                  "azmesh_xds_change_to_ack_seconds_bucket{type=\"endpoints\",le=\"+Inf\"}"))
          .isEqualTo(1.0);
      assertThat(metrics.types())
          .containsEntry("azmesh_xds_change_to_ack_seconds", "histogram")
          .containsEntry("azmesh_discovery_duration_seconds", "summary")
          .containsEntry("azmesh_xds_streams_open", "gauge")
          .containsEntry("azmesh_xds_acks_total", "counter");
      assertThat(body.lines().filter(line -> line.startsWith("# TYPE ")).toList())
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void metrics_exportEveryKnownSeriesAtZeroBeforeItFirstHappens() {
    PrometheusText metrics = PrometheusText.parse(client.get("/metrics").body());

    // The file provider never throttles: a series that is there at 0 is what lets Prometheus see
    // an Azure deployment's first 429 as an increase (docs/operations.md, AzmeshAzureThrottled).
    for (String cause :
        List.of(
            "throttled",
            "auth",
            "unreachable",
            "timeout",
            "malformed-response",
            "azure-error",
            "interrupted",
            "parse",
            "error")) {
      assertThat(metrics.value("azmesh_discovery_failures_total{cause=\"" + cause + "\"}"))
          .as(cause)
          .isZero();
    }
    // The inventory does not exist yet: its failures may have been counted already, but the
    // series is there either way.
    assertThat(metrics.value("azmesh_discovery_failures_total{cause=\"io\"}")).isNotNegative();
    for (String type : List.of("clusters", "endpoints", "listeners", "routes")) {
      assertThat(metrics.value("azmesh_xds_acks_total{type=\"" + type + "\"}")).as(type).isZero();
      assertThat(metrics.value("azmesh_xds_nacks_total{type=\"" + type + "\"}")).as(type).isZero();
      assertThat(metrics.value("azmesh_xds_resources_sent_total{type=\"" + type + "\"}"))
          .as(type)
          .isZero();
    }
  }

  /**
   * A scripted run through the real control plane: the events are the ones the script makes, named
   * here, not read back from the control plane, so a loop that recorded nothing would fail.
   */
  @Test
  void events_areTheOnesAScriptedRunMakes() throws IOException {
    assertThat(controlPlane.loop().refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);
    String app1 = "  - {name: app-1, private_ip: 10.0.0.5, tags: {mesh-service: app}}\n";
    writeInventory(INSTANCES + APP_0);
    writeInventory(INSTANCES + APP_0 + app1);
    // One of two leaves: not more than half, so the guard lets it drain at once.
    writeInventory(INSTANCES + APP_0);

    JsonNode body = client.json("/api/events");

    List<String> served = new java.util.ArrayList<>();
    body.get("events")
        .forEach(e -> served.add(e.get("kind").asText() + " " + e.get("subject").asText()));
    assertThat(served)
        .containsExactly(
            "discovery-failed file",
            "discovery-recovered file",
            "service-appeared app",
            "instance-added app-0",
            "snapshot-published snapshot 1",
            "instance-added app-1",
            "snapshot-published snapshot 2",
            "instance-draining app-1",
            "snapshot-published snapshot 3");
    assertThat(body.get("events").get(7).get("service").asText()).isEqualTo("app");
    assertThat(body.get("last_sequence").asLong()).isEqualTo(9);
  }
}
