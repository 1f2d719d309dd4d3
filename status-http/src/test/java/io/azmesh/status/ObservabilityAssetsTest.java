package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus alerting rules and the Grafana dashboard under {@code deploy/observability/}:
 * promtool accepts the rules and their unit tests pass, and every metric they name is one a running
 * control plane serves on {@code /metrics}.
 */
class ObservabilityAssetsTest {

  private static final Path DIR = Path.of("..", "deploy", "observability");
  private static final Path RULES = DIR.resolve("azmesh-alerts.yml");
  private static final Path RULE_TESTS = DIR.resolve("azmesh-alerts.test.yml");
  private static final Path DASHBOARD = DIR.resolve("azmesh-dashboard.json");
  private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
  private static final SystemProgram PROMTOOL = new SystemProgram("promtool", "prometheus");
  private static final Pattern METRIC = Pattern.compile("\\bazmesh_[a-z0-9_]+");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void alertRules_passPromtoolCheck() throws Exception {
    String output = promtool("check", "rules", RULES.toString());

    assertThat(output).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void alertRules_passTheirPromtoolUnitTests() throws Exception {
    String output = promtool("test", "rules", RULE_TESTS.toString());

    assertThat(output).contains("SUCCESS");
  }

  @Test
  void alertRules_eachHasASeverityASummaryAndAPlaceInTheOperationsDoc() throws IOException {
    String operations = Files.readString(OPERATIONS);

    for (JsonNode alert : alerts()) {
      String name = alert.get("alert").asText();
      assertThat(alert.path("labels").path("severity").asText()).as(name).isNotEmpty();
      assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotEmpty();
      assertThat(operations).as("docs/operations.md describes " + name).contains("`" + name + "`");
    }
  }

  @Test
  void dashboard_panelsHaveUniqueIdsAQueryAndTheDashboardsDatasource() throws IOException {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

    assertThat(dashboard.get("uid").asText()).isEqualTo("azmesh-control-plane");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      String title = panel.get("title").asText();
      assertThat(ids.add(panel.get("id").asInt())).as("id of " + title + " is unique").isTrue();
      if (panel.get("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.get("datasource").get("uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.get("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.get("expr").asText()).as(title).contains("azmesh_");
      }
    }
  }

  @Test
  void everyMetricOfTheRulesAndDashboard_isServedByARunningControlPlane() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Set<String> served;
    try (FileMesh mesh = FileMesh.start(dir, ControlLoopConfig.defaults(), registry)) {
      StatusServer server =
          new StatusServer(
              StatusServerConfig.defaults().withPort(0),
              mesh.controlPlane(),
              registry,
              Clock.systemUTC());
      StatusClient client = new StatusClient(server.start());
      try {
        // A failure first, so the failures counter has counted one.
        assertThat(mesh.controlPlane().loop().refreshNow())
            .isEqualTo(RefreshOutcome.PROVIDER_FAILED);
        mesh.write(
            "instances:\n  - {name: app-0, private_ip: 10.0.0.4, tags: {mesh-service: app}}\n");
        served = sampleNames(client.get("/metrics").body());
      } finally {
        server.stop();
      }
    }

    Set<String> named = new TreeSet<>();
    for (JsonNode alert : alerts()) {
      named.addAll(metricsIn(alert.get("expr").asText()));
    }
    named.addAll(metricsIn(Files.readString(DASHBOARD, StandardCharsets.UTF_8)));

    assertThat(named)
        .contains(
            "azmesh_discovery_consecutive_failures",
            "azmesh_xds_nodes",
            "azmesh_discovery_held_removals",
            "azmesh_xds_change_to_ack_seconds_bucket",
            "azmesh_discovery_failures_total",
            "azmesh_xds_acks_total",
            "azmesh_xds_nacks_total",
            "azmesh_xds_streams_open",
            "azmesh_snapshots_published_total");
    assertThat(served).containsAll(named);
  }

  private static List<JsonNode> alerts() throws IOException {
    List<JsonNode> alerts = new ArrayList<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
      group.get("rules").forEach(alerts::add);
    }
    return alerts;
  }

  private static Set<String> metricsIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  /** The metric name of every sample line, e.g. {@code azmesh_xds_acks_total}. */
  private static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private String promtool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(PROMTOOL.require().toString());
    command.addAll(List.of(arguments));
    Path output = dir.resolve("promtool.out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String text = Files.readString(output);
    assertThat(process.exitValue()).as(text).isZero();
    return text;
  }
}
