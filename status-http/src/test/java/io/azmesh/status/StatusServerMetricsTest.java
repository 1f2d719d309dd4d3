package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: Prometheus text with the mesh gauges and whatever else is registered. */
class StatusServerMetricsTest {

  private final ChangingMeshState state = new ChangingMeshState(MeshFixtures.published());
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final StatusServer server =
      new StatusServer(
          StatusServerConfig.defaults().withPort(0),
          state,
          registry,
          Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
  private final StatusClient client = new StatusClient(server.start());

  @AfterEach
  void stop() {
    server.stop();
  }

  private PrometheusText scrape() {
    HttpResponse<String> response = client.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    return PrometheusText.parse(response.body());
  }

  @Test
  void metrics_gaugesFollowTheMeshState() {
    PrometheusText metrics = scrape();

    assertThat(metrics.value("azmesh_snapshot_version")).isEqualTo(15.0);
    assertThat(metrics.value("azmesh_instances{state=\"serving\"}")).isEqualTo(1.0);
    assertThat(metrics.value("azmesh_instances{state=\"draining\"}")).isEqualTo(1.0);
    assertThat(metrics.value("azmesh_instances{state=\"excluded\"}")).isEqualTo(1.0);
    assertThat(metrics.value("azmesh_discovery_last_success_age_seconds")).isEqualTo(30.0);
    assertThat(metrics.value("azmesh_discovery_consecutive_failures")).isEqualTo(2.0);
    assertThat(metrics.value("azmesh_discovery_problems")).isEqualTo(3.0);
    assertThat(metrics.value("azmesh_discovery_held_removals")).isEqualTo(1.0);
    assertThat(metrics.value("azmesh_xds_nodes{sync=\"synced\"}")).isEqualTo(1.0);
    assertThat(metrics.value("azmesh_xds_nodes{sync=\"stale\"}")).isEqualTo(0.0);
    assertThat(metrics.value("azmesh_xds_nodes{sync=\"nacked\"}")).isEqualTo(1.0);
    assertThat(metrics.types())
        .containsEntry("azmesh_snapshot_version", "gauge")
        .containsEntry("azmesh_instances", "gauge")
        .containsEntry("azmesh_discovery_last_success_age_seconds", "gauge");
  }

  @Test
  void metrics_eventsAreLeftToTheControlPlaneThatCountsThem() {
    PrometheusText metrics = scrape();

    // Counted by the control loop and xDS server under LoopMetrics' and ServingMetrics' names,
    // never derived here.
    assertThat(metrics.types().keySet())
        .doesNotContain(
            "azmesh_xds_streams_open",
            "azmesh_snapshots_published_total",
            "azmesh_discovery_failures_total",
            "azmesh_discovery_api_calls",
            "azmesh_discovery_duration_seconds");
  }

  @Test
  void metrics_beforeAnythingHappenedShowZeroesAndNoSuccessAge() {
    state.moveTo(MeshFixtures.fresh());

    PrometheusText metrics = scrape();

    assertThat(metrics.value("azmesh_snapshot_version")).isZero();
    assertThat(metrics.value("azmesh_instances{state=\"serving\"}")).isZero();
    assertThat(metrics.value("azmesh_discovery_last_success_age_seconds")).isNaN();
    assertThat(metrics.value("azmesh_xds_nodes{sync=\"synced\"}")).isZero();
    assertThat(metrics.value("azmesh_discovery_consecutive_failures")).isZero();
  }

  @Test
  void metrics_includeMetersOthersRegisterOnTheSameRegistry() {
    Counter.builder("example.requests").tag("type", "endpoints").register(registry).increment(2);
    Timer.builder("example.duration")
        .tag("provider", "azure")
        .register(registry)
        .record(Duration.ofMillis(850));

    PrometheusText metrics = scrape();

    assertThat(metrics.value("example_requests_total{type=\"endpoints\"}")).isEqualTo(2.0);
    assertThat(metrics.value("example_duration_seconds_count{provider=\"azure\"}")).isEqualTo(1.0);
    assertThat(metrics.value("example_duration_seconds_sum{provider=\"azure\"}")).isEqualTo(0.85);
  }

  @Test
  void stop_removesTheMeshGaugesFromTheRegistry() {
    server.stop();

    assertThat(registry.find(MeshStateMetrics.SNAPSHOT_VERSION).meters()).isEmpty();
    assertThat(registry.find(MeshStateMetrics.INSTANCES).meters()).isEmpty();
    assertThat(registry.getMeters()).isEmpty();
  }
}
