package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.xds.server.MeshState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A change queue's state on /api/problems and /metrics, over real HTTP. */
class ChangeFeedStatusTest {
  private static final String QUEUE = "https://meshevents.queue.core.windows.net/replica-0";
  private static final ChangeFeedStatus FAILING =
      new ChangeFeedStatus(
          QUEUE,
          ChangeFeedStatus.State.FAILING,
          Optional.of("forbidden: HTTP 403 AuthorizationPermissionMismatch"),
          MeshFixtures.FAILED,
          12,
          3,
          1,
          4,
          2,
          5,
          Optional.of(Duration.ofMillis(1500)));

  /** A published mesh whose provider reads a change queue. */
  private record WithFeed(MeshState mesh, ChangeFeedStatus feed) implements ForwardingMeshState {
    @Override
    public Optional<ChangeFeedStatus> changeFeed() {
      return Optional.of(feed);
    }
  }

  private final StatusServer server =
      new StatusServer(
          StatusServerConfig.defaults().withPort(0),
          new WithFeed(MeshFixtures.published(), FAILING),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
  private final StatusClient client = new StatusClient(server.start());

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void problems_showTheQueuesStateCountsAndOldestMessage() {
    JsonNode feed = client.json("/api/problems").get("change_feed");

    assertThat(feed.get("source").asText()).isEqualTo(QUEUE);
    assertThat(feed.get("state").asText()).isEqualTo("failing");
    assertThat(feed.get("cause").asText())
        .isEqualTo("forbidden: HTTP 403 AuthorizationPermissionMismatch");
    assertThat(feed.get("events_read").asLong()).isEqualTo(12);
    assertThat(feed.get("events_ignored").asLong()).isEqualTo(3);
    assertThat(feed.get("messages_rejected").asLong()).isEqualTo(1);
    assertThat(feed.get("unannounced_changes").asLong()).isEqualTo(2);
    assertThat(feed.get("oldest_message_age_seconds").asDouble()).isEqualTo(1.5);
  }

  @Test
  void problems_withoutAChangeFeedSayNull() {
    StatusServer plain =
        new StatusServer(
            StatusServerConfig.defaults().withPort(0),
            MeshFixtures.published(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
    try {
      JsonNode problems = new StatusClient(plain.start()).json("/api/problems");
      assertThat(problems.get("change_feed").isNull()).isTrue();
    } finally {
      plain.stop();
    }
  }

  @Test
  void metrics_countEventsByOutcomeAndUnannouncedChanges() {
    String metrics = client.get("/metrics").body();

    assertThat(metrics)
        .contains("azmesh_discovery_unannounced_changes_total 2.0")
        .contains("azmesh_change_queue_events_total{outcome=\"read\"} 12.0")
        .contains("azmesh_change_queue_events_total{outcome=\"ignored\"} 3.0")
        .contains("azmesh_change_queue_events_total{outcome=\"rejected\"} 1.0")
        .contains("azmesh_change_queue_refreshes_total 4.0")
        .contains("azmesh_change_queue_up 0.0")
        .contains("azmesh_change_queue_oldest_message_age_seconds 1.5");
  }
}
