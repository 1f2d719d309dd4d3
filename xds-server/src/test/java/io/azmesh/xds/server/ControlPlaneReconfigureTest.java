package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.Reconfiguration;
import io.azmesh.xds.server.loop.SnapshotValidator;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ControlPlane#reconfigure} and {@link ControlPlane#configurationRejected}: a reloaded mesh
 * configuration serves with a {@code config-reloaded} event, a refused one leaves the last good one
 * serving with a {@code config-rejected} event and a problem, which the next good one clears.
 */
class ControlPlaneReconfigureTest {
  private static final String SOURCE = "/etc/azmesh/azmesh.yaml";
  private static final MeshConfig FIVE_SECONDS =
      MeshConfig.parse("services:\n  web:\n    connect_timeout: 5s\n", SOURCE);
  private static final MeshConfig THIRTY_SECONDS =
      MeshConfig.parse("services:\n  web:\n    connect_timeout: 30s\n", SOURCE);

  private final TestProvider provider = new TestProvider(Clock.systemUTC());
  private ControlPlane plane;

  @AfterEach
  void close() {
    plane.close();
  }

  private void start(SnapshotValidator validator) {
    provider.set(
        List.of(
            Instance.builder("web-0", "web-0", "10.0.0.4")
                .tags(Map.of("mesh-service", "web", "mesh-port", "8080"))
                .build()));
    plane =
        ControlPlane.builder(provider, FIVE_SECONDS)
            .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
            .validator(validator)
            .start();
    Await.until(Duration.ofSeconds(30), () -> plane.published().isPresent(), "the first snapshot");
  }

  private List<String> events(MeshEvent.Kind kind) {
    return plane.events(0).stream().filter(e -> e.kind() == kind).map(MeshEvent::reason).toList();
  }

  private List<String> problems() {
    return plane.published().orElseThrow().problems().stream().map(Problem::message).toList();
  }

  @Test
  void reconfigure_recordsConfigReloadedWithTheChangedResources() throws Exception {
    start(SnapshotValidator.envoyRules());

    Reconfiguration result = plane.reconfigure(SOURCE, THIRTY_SECONDS).get();

    assertThat(result.outcome()).isEqualTo(Reconfiguration.Outcome.PUBLISHED);
    assertThat(events(MeshEvent.Kind.CONFIG_RELOADED))
        .containsExactly("clusters: web changed; published snapshot 2");
    assertThat(plane.events(0).get(plane.events(0).size() - 1).subject()).isEqualTo(SOURCE);
  }

  @Test
  void configurationRejected_showsTheProblemUntilAConfigurationServes() throws Exception {
    start(SnapshotValidator.envoyRules());
    String reason = "line 3, column 5: services.web.port is 'http', not a whole number";

    plane.configurationRejected(SOURCE, reason);

    assertThat(problems())
        .containsExactly(
            SOURCE
                + ": mesh configuration is '"
                + reason
                + "', not applied; the configuration read before keeps serving");
    assertThat(events(MeshEvent.Kind.CONFIG_REJECTED))
        .containsExactly("not applied, the configuration read before keeps serving: " + reason);

    plane.reconfigure(SOURCE, THIRTY_SECONDS).get();

    assertThat(problems()).isEmpty();
  }

  @Test
  void reconfigure_snapshotFailingValidation_keepsServingAndShowsTheViolations() throws Exception {
    start(
        resources -> {
          List<String> violations =
              new ArrayList<>(SnapshotValidator.envoyRules().validate(resources));
          resources.clusters().stream()
              .filter(c -> c.getConnectTimeout().getSeconds() > 10)
              .forEach(
                  c -> violations.add("cluster " + c.getName() + ": connect_timeout over 10s"));
          return violations;
        });
    long served = plane.published().orElseThrow().snapshotVersion();

    Reconfiguration result = plane.reconfigure(SOURCE, THIRTY_SECONDS).get();

    assertThat(result.outcome()).isEqualTo(Reconfiguration.Outcome.REJECTED);
    assertThat(plane.published().orElseThrow().snapshotVersion()).isEqualTo(served);
    assertThat(problems())
        .containsExactly(
            SOURCE
                + ": mesh configuration is 'cluster web: connect_timeout over 10s', not applied;"
                + " the configuration read before keeps serving");
    assertThat(events(MeshEvent.Kind.CONFIG_RELOADED)).isEmpty();
  }
}
