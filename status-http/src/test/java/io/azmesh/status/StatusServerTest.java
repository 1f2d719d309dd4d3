package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lifecycle, health, readiness, error responses and the page and its policy, over real HTTP. */
class StatusServerTest {

  private final ChangingMeshState state = new ChangingMeshState(MeshFixtures.fresh());
  private final StatusServer server = server(StatusServerConfig.defaults().withPort(0));
  private final StatusClient client = new StatusClient(server.start());

  @AfterEach
  void stop() {
    server.stop();
  }

  private StatusServer server(StatusServerConfig config) {
    return new StatusServer(
        config,
        state,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
  }

  @Test
  void healthz_isOkEvenBeforeAnything() {
    assertThat(client.json("/healthz").toString()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void readyz_notReadyUntilTheFirstSnapshotThenReady() {
    HttpResponse<String> before = client.get("/readyz");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body())
        .isEqualTo("{\"status\":\"not_ready\",\"message\":\"no snapshot published yet\"}");

    state.moveTo(MeshFixtures.fresh().publishing(MeshFixtures.snapshot()));

    assertThat(client.json("/readyz").toString())
        .isEqualTo("{\"status\":\"ready\",\"snapshot_version\":15,\"world\":\"fresh\"}");
  }

  @Test
  void readyz_servingARestoredSnapshotIsNotReadyAndSaysSo() {
    PublishedSnapshot fresh = MeshFixtures.snapshot();
    state.moveTo(
        MeshFixtures.fresh()
            .publishing(
                new PublishedSnapshot(
                    fresh.snapshotVersion(),
                    fresh.publishedAt(),
                    fresh.resources(),
                    fresh.instances(),
                    fresh.problems(),
                    PublishedSnapshot.Origin.RESTORED)));

    HttpResponse<String> restored = client.get("/readyz");

    assertThat(restored.statusCode()).isEqualTo(503);
    assertThat(restored.body())
        .isEqualTo(
            "{\"status\":\"not_ready\",\"snapshot_version\":15,\"world\":\"restored\","
                + "\"message\":\"serving the snapshot saved before the restart; ready once a"
                + " discovery confirms it\"}");
  }

  @Test
  void unknownPath_is404WithJsonMessage() {
    HttpResponse<String> response = client.get("/api/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = StatusClient.parse(response);
    assertThat(body.get("status").asInt()).isEqualTo(404);
    assertThat(body.get("message").asText()).isEqualTo("no such endpoint: GET /api/nope");
  }

  @Test
  void wrongMethod_is405WithJsonMessage() {
    HttpResponse<String> response = client.send("DELETE", "/api/vms");

    assertThat(response.statusCode()).isEqualTo(405);
    JsonNode body = StatusClient.parse(response);
    assertThat(body.get("status").asInt()).isEqualTo(405);
    assertThat(body.get("message").asText()).isEqualTo("method DELETE is not allowed on /api/vms");
  }

  @Test
  void failure_is500WithoutInternalsInTheBody() {
    Listener unrenderable =
        Listener.newBuilder()
            .setName("edge")
            .setApiListener(
                ApiListener.newBuilder()
                    .setApiListener(
                        Any.newBuilder().setTypeUrl("type.googleapis.com/example.Unknown")))
            .build();
    state.moveTo(
        MeshFixtures.fresh()
            .publishing(
                new PublishedSnapshot(
                    1,
                    MeshFixtures.PUBLISHED,
                    XdsResources.of(List.of(), List.of(), List.of(unrenderable), List.of()),
                    List.of(),
                    List.of())));

    HttpResponse<String> response = client.get("/api/snapshot");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .isEqualTo(
            "{\"status\":500,\"message\":\"internal error; the control plane log has the"
                + " details\"}");
  }

  @Test
  void apiResponses_areNotCached() {
    HttpResponse<String> response = client.get("/api/vms");

    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void page_isServedWithItsScriptAndAStrictPolicy() {
    HttpResponse<String> page = client.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.body())
        .contains("<title>azmesh status</title>")
        .contains("<script src=\"/status.js\" defer></script>")
        .contains("<table id=\"services\">", "<table id=\"vms\">", "<table id=\"nodes\">");

    HttpResponse<String> script = client.get("/status.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript;charset=utf-8");
    assertThat(script.body())
        .contains("fetch(path", "/api/vms", "/api/services", "/api/nodes", "textContent")
        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(");

    HttpResponse<String> style = client.get("/status.css");
    assertThat(style.statusCode()).isEqualTo(200);
    assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
  }

  @Test
  void start_twiceIsRefusedNamingThePort() {
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("status server is already started on port " + server.port());
  }

  @Test
  void stop_thenPortIsRefusedAndStopAgainDoesNothing() {
    server.stop();
    server.stop();

    assertThatThrownBy(server::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("status server is not started");
  }

  @Test
  void start_onATakenPortNamesAddressAndPort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StatusServer second = server(StatusServerConfig.defaults().withPort(taken.getLocalPort()));

      assertThatThrownBy(second::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cannot serve the status API on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  /**
   * The Content-Security-Policy read from the response and checked for what makes it strict (CSP
   * Level 3 directive names), not compared with the production constant: a weakened policy fails
   * here whatever the constant says.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/", "/status.js", "/status.css"})
  void policy_allowsOnlyThisServersScriptsAndStylesAndNoFraming(String path) {
    HttpResponse<String> response = client.get(path);
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, List<String>> policy =
        parse(response.headers().firstValue("Content-Security-Policy").orElseThrow());

    assertThat(policy.get("default-src"))
        .as("default-src")
        .isIn(List.of("'none'"), List.of("'self'"));
    for (String fetch :
        List.of("script-src", "style-src", "connect-src", "img-src", "object-src")) {
      List<String> sources = policy.getOrDefault(fetch, policy.get("default-src"));
      assertThat(sources)
          .as(fetch)
          .isSubsetOf("'self'", "'none'")
          .doesNotContain("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:");
    }
    assertThat(policy.getOrDefault("object-src", policy.get("default-src")))
        .as("object-src")
        .containsExactly("'none'");
    assertThat(policy.get("frame-ancestors")).as("frame-ancestors").containsExactly("'none'");
    assertThat(policy.get("base-uri")).as("base-uri").isIn(List.of("'none'"), List.of("'self'"));
    assertThat(policy.get("form-action"))
        .as("form-action")
        .isIn(List.of("'none'"), List.of("'self'"));
  }

  /** Directive name to its sources; a directive named twice keeps its first, as browsers do. */
  private static Map<String, List<String>> parse(String header) {
    Map<String, List<String>> directives = new LinkedHashMap<>();
    for (String directive : header.split(";")) {
      List<String> tokens = Arrays.asList(directive.trim().split("\\s+"));
      if (!tokens.get(0).isEmpty()) {
        directives.putIfAbsent(
            tokens.get(0).toLowerCase(Locale.ROOT), List.copyOf(tokens.subList(1, tokens.size())));
      }
    }
    return directives;
  }
}
