package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.Reconfiguration.Outcome;
import io.azmesh.xds.server.loop.ResourceChanges.Change;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ControlLoop#reconfigure}: a running loop takes a reloaded mesh configuration. */
class ControlLoopReconfigureTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static final MeshConfig FIVE_SECONDS =
      MeshConfig.parse("services:\n  web:\n    connect_timeout: 5s\n", "old.yaml");
  private static final MeshConfig THIRTY_SECONDS =
      MeshConfig.parse("services:\n  web:\n    connect_timeout: 30s\n", "new.yaml");

  /** A rule of this test on top of Envoy's: connect timeouts above 10 s are refused. */
  private static final SnapshotValidator AT_MOST_TEN_SECONDS =
      resources -> {
        List<String> violations =
            new ArrayList<>(SnapshotValidator.envoyRules().validate(resources));
        for (Cluster cluster : resources.clusters()) {
          if (cluster.getConnectTimeout().getSeconds() > 10) {
            violations.add("cluster " + cluster.getName() + ": connect_timeout over 10s");
          }
        }
        return violations;
      };

  private final MutableClock clock = new MutableClock(START);
  private final TestProvider provider = new TestProvider(clock);
  private final List<XdsResources> sent = new CopyOnWriteArrayList<>();
  private ControlLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  private ControlLoop loop(SnapshotValidator validator) {
    loop =
        ControlLoop.builder(
                provider,
                TranslationFunction.of(FIVE_SECONDS),
                (resources, seenAt) -> sent.add(resources))
            .validator(validator)
            .clock(clock)
            .build();
    return loop;
  }

  private static Instance web(int port) {
    return Instance.builder("web-" + port, "web-" + port, "10.0.0.4")
        .tags(Map.of("mesh-service", "web", "mesh-port", String.valueOf(port)))
        .build();
  }

  private long connectTimeoutSeconds() {
    return loop.published()
        .orElseThrow()
        .resources()
        .clusters()
        .get(0)
        .getConnectTimeout()
        .getSeconds();
  }

  @Test
  void reconfigure_publishesTheLastDiscoveryTranslatedAgain() throws Exception {
    provider.set(List.of(web(8080)));
    loop(SnapshotValidator.envoyRules()).refreshNow();
    int discoveries = provider.calls();

    Reconfiguration result = loop.reconfigure(TranslationFunction.of(THIRTY_SECONDS)).get();

    assertThat(result.outcome()).isEqualTo(Outcome.PUBLISHED);
    assertThat(result.changes().clusters()).containsExactlyEntriesOf(Map.of("web", Change.CHANGED));
    assertThat(result.changes().endpoints()).isEmpty();
    assertThat(result.snapshotVersion()).isEqualTo(2);
    assertThat(connectTimeoutSeconds()).isEqualTo(30);
    assertThat(sent).hasSize(2);
    assertThat(provider.calls()).as("no discovery for a reload").isEqualTo(discoveries);
  }

  @Test
  void reconfigure_theNewTranslationServesLaterRefreshes() throws Exception {
    provider.set(List.of(web(8080)));
    loop(SnapshotValidator.envoyRules()).refreshNow();
    loop.reconfigure(TranslationFunction.of(THIRTY_SECONDS)).get();

    provider.set(List.of(web(8080), web(8081)));
    loop.refreshNow();

    assertThat(connectTimeoutSeconds()).isEqualTo(30);
    assertThat(
            loop.published()
                .orElseThrow()
                .resources()
                .endpoints()
                .get(0)
                .getEndpoints(0)
                .getLbEndpointsCount())
        .isEqualTo(2);
  }

  @Test
  void reconfigure_sameResources_isUnchangedAndPublishesNothing() throws Exception {
    provider.set(List.of(web(8080)));
    loop(SnapshotValidator.envoyRules()).refreshNow();

    Reconfiguration result = loop.reconfigure(TranslationFunction.of(FIVE_SECONDS)).get();

    assertThat(result.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(result.changes().isEmpty()).isTrue();
    assertThat(sent).hasSize(1);
  }

  @Test
  void reconfigure_invalidSnapshot_keepsThePreviousTranslationServing() throws Exception {
    provider.set(List.of(web(8080)));
    loop(AT_MOST_TEN_SECONDS).refreshNow();

    Reconfiguration result = loop.reconfigure(TranslationFunction.of(THIRTY_SECONDS)).get();

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.violations()).containsExactly("cluster web: connect_timeout over 10s");
    assertThat(sent).hasSize(1);
    provider.set(List.of(web(8080), web(8081)));
    loop.refreshNow();
    assertThat(connectTimeoutSeconds()).as("the old translation still serves").isEqualTo(5);
    assertThat(loop.discovery().lastRejection()).as("not a rejected refresh").isEmpty();
  }

  @Test
  void reconfigure_translationThatThrows_isRejectedNamingTheError() throws Exception {
    provider.set(List.of(web(8080)));
    loop(SnapshotValidator.envoyRules()).refreshNow();

    Reconfiguration result =
        loop.reconfigure(
                input -> {
                  throw new IllegalStateException("no translator today");
                })
            .get();

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.violations()).containsExactly("translation failed: no translator today");
    assertThat(connectTimeoutSeconds()).isEqualTo(5);
  }

  @Test
  void reconfigure_beforeTheFirstDiscovery_appliesFromIt() throws Exception {
    provider.set(List.of(web(8080)));
    loop(SnapshotValidator.envoyRules());

    Reconfiguration result = loop.reconfigure(TranslationFunction.of(THIRTY_SECONDS)).get();
    loop.refreshNow();

    assertThat(result.outcome()).isEqualTo(Outcome.AWAITING_DISCOVERY);
    assertThat(result.snapshotVersion()).isZero();
    assertThat(connectTimeoutSeconds()).isEqualTo(30);
  }

  @Test
  void reconfigure_afterClose_fails() {
    loop(SnapshotValidator.envoyRules()).close();

    assertThat(loop.reconfigure(TranslationFunction.of(THIRTY_SECONDS)))
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("the control loop is closed");
  }
}
