package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (Debian's headless {@code chromium}), served by a real status
 * server over a real control plane fed by the file provider, with a proxyless gRPC client ACKing
 * its changes. The screenshot is kept at {@code target/status-page/status-page.png}.
 *
 * <p>In CI ({@code CI=true}) the browser must be there ({@code .ci/run} installs it); elsewhere the
 * test is skipped without it ({@link SystemProgram}).
 */
class StatusPageBrowserTest {

  private static final Path OUTPUT = Path.of("target", "status-page");
  private static final String INVENTORY =
      """
      instances:
        - {name: app-0, private_ip: 10.0.0.4, zone: "1", tags: {mesh-service: app}}
        - {name: app-1, private_ip: 10.0.0.5, zone: "2", tags: {mesh-service: app}}
        - {name: app-2, private_ip: 10.0.0.6, zone: "3", tags: {mesh-service: app}}
        - {name: web-0, private_ip: 10.0.1.4, tags: {mesh-service: web}}
        - {name: web-1, private_ip: 10.0.1.5, power_state: deallocated, tags: {mesh-service: web}}
        - {name: web-2, private_ip: 10.0.1.6, tags: {mesh-service: web, mesh-port: http}}
        - {name: web-3, private_ip: 10.0.1.7, power_state: deallocated, tags: {mesh-service: web, mesh-port: http}}
      """;

  @TempDir Path dir;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private FileMesh mesh;
  private ControlPlane controlPlane;
  private StatusServer server;
  private StatusClient client;

  @BeforeEach
  void start() {
    mesh =
        FileMesh.start(
            dir, ControlLoopConfig.builder().drainPeriod(Duration.ofMinutes(10)).build(), registry);
    controlPlane = mesh.controlPlane();
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

  @Test
  void page_showsServicesEndpointsEventsAndChartsInARealBrowser() throws Exception {
    Path chromium = HeadlessChromium.PROGRAM.require();
    assertThat(controlPlane.loop().refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);
    mesh.write(INVENTORY);
    try (ProxylessClient proxy = ProxylessClient.connect(controlPlane, "app", "page-client")) {
      proxy.awaitSynced();
      // app-1 leaves the inventory and drains.
      mesh.write(INVENTORY.replace(INVENTORY.lines().toList().get(2) + "\n", ""));
      proxy.awaitSynced();
      // The ACK of the second version is in the next sample at the latest, ten seconds on.
      Await.until(
          Duration.ofSeconds(30),
          () -> hasAckLatency(client.json("/api/history")),
          "a change-to-ACK sample in /api/history");

      HeadlessChromium browser =
          new HeadlessChromium(
              chromium,
              Files.createDirectories(OUTPUT.toAbsolutePath()),
              Files.createDirectories(dir.resolve("chromium-profiles")));
      String url = "http://127.0.0.1:" + server.port() + "/";
      String dom = loadedDom(browser, url);

      String services = element(dom, "table", "services");
      assertThat(services).contains("<td>app</td>").contains("<td>web</td>");
      String vms = element(dom, "table", "vms");
      assertThat(vms)
          .contains("<td>app-0</td>")
          .contains("<td class=\"state-serving\">serving</td>")
          .contains("<td class=\"state-draining\">draining</td>")
          // Deallocated on purpose: neutral, not the red of a VM left out for a problem.
          .contains("<td class=\"state-stopped\">excluded</td>")
          .contains("<td class=\"state-excluded\">excluded</td>");
      // web-3 is deallocated and has a problem: its state stays neutral, the problem is red.
      assertThat(row(vms, "web-3"))
          .contains("<td class=\"state-stopped\">excluded</td>")
          .contains("class=\"problem\"");
      // The control plane's own events of the script above, newest first.
      List<String> eventRows = new ArrayList<>();
      Matcher row =
          Pattern.compile("<td class=\"(tone-[a-z]+)\">([a-z-]+)</td><td>([^<]*)</td>")
              .matcher(element(dom, "table", "events"));
      while (row.find()) {
        eventRows.add(row.group(2) + " " + row.group(3) + " " + row.group(1));
      }
      assertThat(eventRows)
          .containsExactly(
              "snapshot-published snapshot 2 tone-neutral",
              "instance-draining app-1 tone-neutral",
              "proxy-connected page-client tone-neutral",
              "snapshot-published snapshot 1 tone-neutral",
              "instance-added web-0 tone-good",
              "instance-added app-2 tone-good",
              "instance-added app-1 tone-good",
              "instance-added app-0 tone-good",
              "service-appeared web tone-good",
              "service-appeared app tone-good",
              "discovery-recovered file tone-good",
              "discovery-failed file tone-bad");
      assertThat(element(dom, "svg", "events-timeline")).contains("<circle");
      assertThat(element(dom, "svg", "endpoints-chart")).contains("class=\"series series-0\"");
      assertThat(element(dom, "p", "endpoints-legend")).contains("app 2").contains("web 1");
      assertThat(element(dom, "svg", "ack-chart")).contains("<polyline");

      Path png = OUTPUT.resolve("status-page.png");
      Files.deleteIfExists(png);
      browser.screenshot(url, png, 1280, 2200);
      assertThat(png).exists();
      assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }
  }

  /** Loads the page until its script says it rendered the API's answer (data-loaded). */
  private static String loadedDom(HeadlessChromium browser, String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (int attempt = 1; ; attempt++) {
      String dom = browser.dumpDom(url, "dom-" + attempt);
      if (dom.contains("data-loaded=\"true\"")) {
        return dom;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the page never finished loading; last DOM:\n" + dom);
      }
    }
  }

  private static boolean hasAckLatency(JsonNode history) {
    for (JsonNode sample : history.get("samples")) {
      if (!sample.get("change_to_ack").isNull()) {
        return true;
      }
    }
    return false;
  }

  /** The outer HTML of the element {@code <tag id="id">} in {@code dom}. */
  private static String element(String dom, String tag, String id) {
    Matcher start = Pattern.compile("<" + tag + " id=\"" + id + "\"[^>]*>").matcher(dom);
    assertThat(start.find()).as("<%s id=%s> in the page", tag, id).isTrue();
    int end = dom.indexOf("</" + tag + ">", start.end());
    return dom.substring(start.start(), end);
  }

  /** The table row of {@code vm} in the rendered VM table. */
  private static String row(String table, String vm) {
    int name = table.indexOf("<td>" + vm + "</td>");
    assertThat(name).as("row of " + vm).isNotNegative();
    int start = table.lastIndexOf("<tr", name);
    int end = table.indexOf("</tr>", name);
    return table.substring(start, end);
  }
}
