package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.MeshEvent.Kind;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /api/events} over HTTP, serving an {@link EventLog} the test records into. */
class StatusEventsApiTest {

  private final EventLog log = new EventLog(Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC), 5);
  private final StatusServer server =
      new StatusServer(
          StatusServerConfig.defaults().withPort(0),
          new MeshStateWithEvents(MeshFixtures.published(), log),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
  private final StatusClient client = new StatusClient(server.start());

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void events_noneYet_answersAnEmptyListAndZeroSequences() {
    JsonNode body = client.json("/api/events");

    assertThat(body.get("first_sequence").asLong()).isZero();
    assertThat(body.get("last_sequence").asLong()).isZero();
    assertThat(body.get("events")).isEmpty();
  }

  @Test
  void events_eachFieldOfAnEvent() {
    log.record(
        Kind.INSTANCE_DRAINING,
        "/subscriptions/s/vm/app-1",
        Optional.of("app"),
        "power state deallocating");

    JsonNode event = client.json("/api/events").get("events").get(0);

    assertThat(event.get("sequence").asLong()).isEqualTo(1);
    assertThat(event.get("at").asText()).isEqualTo("2025-02-04T10:00:30Z");
    assertThat(event.get("kind").asText()).isEqualTo("instance-draining");
    assertThat(event.get("severity").asText()).isEqualTo("normal");
    assertThat(event.get("subject").asText()).isEqualTo("/subscriptions/s/vm/app-1");
    assertThat(event.get("service").asText()).isEqualTo("app");
    assertThat(event.get("reason").asText()).isEqualTo("power state deallocating");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void events_everyKindIsServedUnderItsLabelAndFoundByIt(Kind kind) {
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 1");
    log.record(kind, "subject-1", Optional.empty(), "because of " + kind.label());

    JsonNode events = client.json("/api/events?kind=" + kind.label()).get("events");

    assertThat(events.get(events.size() - 1).get("kind").asText()).isEqualTo(kind.label());
    assertThat(events.get(events.size() - 1).get("severity").asText())
        .isEqualTo(kind.severity() == MeshEvent.Severity.WARNING ? "warning" : "normal");
    assertThat(events.get(events.size() - 1).get("reason").asText())
        .isEqualTo("because of " + kind.label());
    assertThat(kinds(events)).containsOnly(kind.label());
  }

  @Test
  void events_withoutService_haveServiceNull() {
    log.record(Kind.DISCOVERY_FAILED, "azure", Optional.empty(), "throttled: 429");

    JsonNode event = client.json("/api/events").get("events").get(0);

    assertThat(event.has("service")).isTrue();
    assertThat(event.get("service").isNull()).isTrue();
  }

  @Test
  void events_since_answersOnlyLaterEventsAndTheLastSequence() {
    log.record(Kind.SERVICE_APPEARED, "app", Optional.of("app"), "first instance app-0");
    log.record(Kind.INSTANCE_ADDED, "app-0", Optional.of("app"), "discovered");
    log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version 1");

    JsonNode body = client.json("/api/events?since=1");

    assertThat(sequences(body.get("events"))).containsExactly(2L, 3L);
    assertThat(body.get("last_sequence").asLong()).isEqualTo(3);
    assertThat(client.json("/api/events?since=3").get("events")).isEmpty();
  }

  @Test
  void events_kindAndServiceFilter_keepTheSequencesOfTheWholeLog() {
    log.record(Kind.INSTANCE_ADDED, "app-0", Optional.of("app"), "discovered");
    log.record(Kind.INSTANCE_ADDED, "web-0", Optional.of("web"), "discovered");
    log.record(Kind.INSTANCE_DRAINING, "web-0", Optional.of("web"), "tag mesh-service removed");

    JsonNode body = client.json("/api/events?kind=instance-added&service=web");

    assertThat(sequences(body.get("events"))).containsExactly(2L);
    assertThat(body.get("first_sequence").asLong()).isEqualTo(1);
    assertThat(body.get("last_sequence").asLong()).isEqualTo(3);
    assertThat(sequences(client.json("/api/events?service=web").get("events")))
        .containsExactly(2L, 3L);
  }

  @Test
  void events_limit_keepsTheNewestOfThoseThatMatch() {
    for (int i = 0; i < 4; i++) {
      log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version " + (i + 1));
    }

    assertThat(sequences(client.json("/api/events?limit=2").get("events"))).containsExactly(3L, 4L);
    assertThat(sequences(client.json("/api/events?since=3&limit=2").get("events")))
        .containsExactly(4L);
  }

  @Test
  void events_beyondCapacity_dropTheOldestAndFirstSequenceSaysSo() {
    for (int i = 0; i < 7; i++) {
      log.record(Kind.SNAPSHOT_PUBLISHED, "snapshot", Optional.empty(), "version " + (i + 1));
    }

    JsonNode body = client.json("/api/events?since=1");

    assertThat(body.get("first_sequence").asLong()).isEqualTo(3);
    assertThat(body.get("last_sequence").asLong()).isEqualTo(7);
    assertThat(sequences(body.get("events"))).containsExactly(3L, 4L, 5L, 6L, 7L);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          since=abc         | query parameter since is 'abc', not an event sequence number (0 or more)
          since=-1          | query parameter since is '-1', not an event sequence number (0 or more)
          limit=0           | query parameter limit is '0', not a positive whole number
          limit=many        | query parameter limit is 'many', not a positive whole number
          service=          | query parameter service is empty; name a service
          since=1&since=2   | query parameter since is given 2 times; give it once
          sinse=1           | unknown query parameter 'sinse'; /api/events takes since, kind, service and limit
          """)
  void events_badQueryValue_is400NamingParameterAndValue(String query, String message) {
    HttpResponse<String> response = client.get("/api/events?" + query);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = StatusClient.parse(response);
    assertThat(body.get("status").asInt()).isEqualTo(400);
    assertThat(body.get("message").asText()).isEqualTo(message);
  }

  @Test
  void events_unknownKind_is400ListingTheKinds() {
    HttpResponse<String> response = client.get("/api/events?kind=vm-added");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(StatusClient.parse(response).get("message").asText())
        .isEqualTo(
            "query parameter kind is 'vm-added', not one of "
                + String.join(", ", Arrays.stream(Kind.values()).map(Kind::label).toList()));
    assertThat(StatusClient.parse(response).get("message").asText())
        .startsWith(
            "query parameter kind is 'vm-added', not one of instance-added, instance-draining,");
  }

  private static List<Long> sequences(JsonNode events) {
    List<Long> sequences = new ArrayList<>();
    events.forEach(e -> sequences.add(e.get("sequence").asLong()));
    return sequences;
  }

  private static List<String> kinds(JsonNode events) {
    List<String> kinds = new ArrayList<>();
    events.forEach(e -> kinds.add(e.get("kind").asText()));
    return kinds;
  }
}
