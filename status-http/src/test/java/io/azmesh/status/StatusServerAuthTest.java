package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/vms",
        "/api/services",
        "/api/nodes",
        "/api/snapshot",
        "/api/problems",
        "/metrics"
      })
  void protectedPath_withoutTokenIs401(String path) {
    HttpResponse<String> response = client.get(path);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"azmesh\"");
    JsonNode body = StatusClient.parse(response);
    assertThat(body.get("status").asInt()).isEqualTo(401);
    assertThat(body.get("message").asText())
        .isEqualTo("missing bearer token: send 'Authorization: Bearer <token>'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/vms", "/metrics"})
  void protectedPath_withTokenIsServed(String path) {
    assertThat(client.get(path, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
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

  @ParameterizedTest
  @ValueSource(strings = {"/healthz", "/readyz", "/", "/status.js", "/status.css"})
  void openPath_needsNoToken(String path) {
    assertThat(client.get(path).statusCode()).isEqualTo(200);
  }

  @Test
  void servedResponses_neverContainTheToken() {
    for (String path :
        new String[] {
          "/api/vms", "/api/services", "/api/nodes", "/api/snapshot", "/api/problems", "/metrics"
        }) {
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
