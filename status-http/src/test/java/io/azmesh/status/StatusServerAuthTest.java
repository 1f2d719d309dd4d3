package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bearer token: required on the API and metrics when set, never on health, never echoed. */
class StatusServerAuthTest {

  private static final String TOKEN = "s3cr3t-t0ken-value";

  private final StatusServer server =
      new StatusServer(
          StatusServerConfig.defaults().withPort(0).withToken(BearerToken.of(TOKEN)),
          MeshFixtures.published(),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
  private final StatusClient client = new StatusClient(server.start());

  @AfterEach
  void stop() {
    server.stop();
  }

  /** Health and the page's own files; every other route needs the token. */
  private static final Set<String> OPEN =
      Set.of("/healthz", "/readyz", "/", "/status.js", "/status.css");

  /**
   * Every GET route the server registers except the open ones, read from Javalin's router: a route
   * added later is protected unless it is added to {@link #OPEN} on purpose.
   */
  private List<String> protectedPaths() {
    List<String> routed = server.routedPaths();
    assertThat(routed).containsAll(OPEN).contains("/api/events", "/api/history", "/metrics");
    return routed.stream().filter(path -> !OPEN.contains(path)).toList();
  }

  @Test
  void protectedPaths_withoutTokenAre401() {
    for (String path : protectedPaths()) {
      HttpResponse<String> response = client.get(path);

      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .as(path)
          .hasValue("Bearer realm=\"azmesh\"");
      JsonNode body = StatusClient.parse(response);
      assertThat(body.get("status").asInt()).isEqualTo(401);
      assertThat(body.get("message").asText())
          .as(path)
          .isEqualTo("missing bearer token: send 'Authorization: Bearer <token>'");
    }
  }

  @Test
  void protectedPaths_withTokenAreServed() {
    for (String path : protectedPaths()) {
      assertThat(client.get(path, "Bearer " + TOKEN).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertThat(client.get("/api/vms", "bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongToken_is401AndNeitherTokenIsEchoed() {
    HttpResponse<String> response = client.get("/api/vms", "Bearer " + TOKEN + "x");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(StatusClient.parse(response).get("message").asText())
        .isEqualTo("invalid bearer token");
    assertThat(response.body()).doesNotContain(TOKEN);
    assertThat(response.headers().map().toString()).doesNotContain(TOKEN);
  }

  @Test
  void otherScheme_isTreatedAsMissing() {
    HttpResponse<String> response = client.get("/api/vms", "Basic " + TOKEN);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(StatusClient.parse(response).get("message").asText())
        .isEqualTo("missing bearer token: send 'Authorization: Bearer <token>'");
  }

  @Test
  void openPaths_needNoToken() {
    for (String path : OPEN) {
      assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void servedResponses_neverContainTheToken() {
    for (String path : protectedPaths()) {
      assertThat(client.get(path, "Bearer " + TOKEN).body()).as(path).doesNotContain(TOKEN);
    }
  }

  @Test
  void withoutToken_theApiIsOpen() {
    StatusServer open =
        new StatusServer(
            StatusServerConfig.defaults().withPort(0),
            MeshFixtures.published(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
    try {
      StatusClient anonymous = new StatusClient(open.start());
      assertThat(anonymous.get("/api/vms").statusCode()).isEqualTo(200);
      assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(200);
    } finally {
      open.stop();
    }
  }
}
