package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.xds.server.serving.ServingMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MeshStateMetricsTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final MeshStateMetrics metrics =
      new MeshStateMetrics(MeshFixtures.published(), Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));

  @Test
  void bindTo_readsTheStateAtEachRead() {
    metrics.bindTo(registry);

    assertThat(registry.get(MeshStateMetrics.INSTANCES).tag("state", "draining").gauge().value())
        .isEqualTo(1.0);
    assertThat(registry.get(MeshStateMetrics.LAST_SUCCESS_AGE).gauge().value()).isEqualTo(30.0);
    assertThat(registry.get(MeshStateMetrics.CONSECUTIVE_FAILURES).gauge().value()).isEqualTo(2.0);
  }

  @Test
  void bindTo_aSecondRegistryIsRefused() {
    metrics.bindTo(registry);

    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("mesh state metrics are already bound to a registry");
  }

  @Test
  void close_removesOnlyItsOwnMetersAndAllowsBindingAgain() {
    Counter other = registry.counter(ServingMetrics.ACKS, "type", "clusters");
    metrics.bindTo(registry);

    metrics.close();

    assertThat(registry.getMeters()).containsExactly(other);
    metrics.bindTo(registry);
    assertThat(registry.find(MeshStateMetrics.SNAPSHOT_VERSION).gauge()).isNotNull();
  }
}
