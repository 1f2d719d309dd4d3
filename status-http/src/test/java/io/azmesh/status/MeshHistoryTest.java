package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.ServingMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status page's time series, sampled from a changing {@code MeshState} and the ACK timers. */
class MeshHistoryTest {

  private final ChangingMeshState state = new ChangingMeshState(MeshFixtures.published());
  private final SteppedClock clock = new SteppedClock(MeshFixtures.NOW);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MeshHistory history =
      new MeshHistory(state, registry, clock, Duration.ofSeconds(10), 3);

  /** The change-to-ACK timer as the xDS server registers it (ServingMetrics). */
  private Timer changeToAck(String type) {
    return Timer.builder(ServingMetrics.CHANGE_TO_ACK)
        .tag("type", type)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
  }

  @Test
  void sample_countsEndpointsPerServiceIncludingAnEmptyCluster() {
    MeshHistory.Sample sample = history.sample();

    assertThat(sample.at()).isEqualTo(MeshFixtures.NOW);
    assertThat(sample.snapshotVersion()).isEqualTo(MeshFixtures.SNAPSHOT_VERSION);
    assertThat(sample.services())
        .containsExactly(
            new MeshHistory.ServiceCount("app", 1, 1, 2),
            new MeshHistory.ServiceCount("db", 0, 0, 0));
    assertThat(sample.changeToAck()).isNull();
  }

  @Test
  void sample_beforeAnyPublish_isEmptyAtVersionZero() {
    state.moveTo(MeshFixtures.fresh());

    MeshHistory.Sample sample = history.sample();

    assertThat(sample.snapshotVersion()).isZero();
    assertThat(sample.services()).isEmpty();
  }

  @Test
  void tick_samplesOnANewPublishAndOtherwiseOncePerInterval() {
    history.tick();
    clock.step(Duration.ofSeconds(3));
    history.tick();
    assertThat(history.samples()).hasSize(1);

    PublishedSnapshot next = MeshFixtures.snapshot();
    state.moveTo(
        MeshFixtures.published()
            .publishing(
                new PublishedSnapshot(
                    next.snapshotVersion() + 1,
                    next.publishedAt(),
                    next.resources(),
                    next.instances(),
                    next.problems())));
    history.tick();
    assertThat(history.samples()).hasSize(2);

    clock.step(Duration.ofSeconds(9));
    history.tick();
    assertThat(history.samples()).hasSize(2);
    clock.step(Duration.ofSeconds(1));
    history.tick();
    assertThat(history.samples()).hasSize(3);
  }

  @Test
  void samples_beyondCapacity_dropTheOldest() {
    for (int i = 0; i < 4; i++) {
      history.sample();
      clock.step(Duration.ofSeconds(10));
    }

    List<MeshHistory.Sample> samples = history.samples();

    assertThat(samples).hasSize(3);
    assertThat(samples.get(0).at()).isEqualTo(MeshFixtures.NOW.plusSeconds(10));
  }

  @Test
  void changeToAck_isTheP99AndMeanOfTheAcksSinceThePreviousSample() {
    Timer endpoints = changeToAck("endpoints");
    Timer clusters = changeToAck("clusters");
    for (int i = 0; i < 98; i++) {
      endpoints.record(Duration.ofMillis(5));
    }
    clusters.record(Duration.ofMillis(5));
    endpoints.record(Duration.ofSeconds(2));

    MeshHistory.ChangeToAck first = history.sample().changeToAck();

    assertThat(first.acks()).isEqualTo(100);
    assertThat(first.meanSeconds()).isCloseTo((99 * 0.005 + 2) / 100, within());
    // The 99th of 100 ACKs took 5 ms: the p99 lies in the histogram bucket holding 5 ms.
    assertThat(first.p99Seconds()).isBetween(0.004, 0.0056);

    for (int i = 0; i < 10; i++) {
      endpoints.record(Duration.ofSeconds(1));
    }
    MeshHistory.ChangeToAck second = history.sample().changeToAck();

    assertThat(second.acks()).isEqualTo(10);
    assertThat(second.meanSeconds()).isCloseTo(1.0, within());
    // The bucket holding 1 s spans about 0.98 to 1.07 s; the p99 is interpolated inside it.
    assertThat(second.p99Seconds()).isBetween(0.98, 1.08);

    assertThat(history.sample().changeToAck()).as("no ACK since the last sample").isNull();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
