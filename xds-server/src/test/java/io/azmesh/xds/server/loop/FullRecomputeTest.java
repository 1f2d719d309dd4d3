package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FullRecomputeTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final TestProvider provider = new TestProvider(clock);
  private final List<XdsResources> sent = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ControlLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  /**
   * A translation whose memo is wrong: it remembers results by instance ids alone, so a changed
   * port or tag of the same instances gets the stale result. A fresh copy has an empty memo.
   */
  private static final class StaleMemo implements TranslationFunction {
    private final TranslationFunction real = TranslationFunction.of(MeshConfig.defaults());
    private final Map<List<String>, Translation> memo = new HashMap<>();

    @Override
    public Translation translate(TranslationInput input) {
      List<String> key = new ArrayList<>();
      input.instances().forEach(i -> key.add(i.id()));
      input.retained().forEach(r -> key.add(r.service() + "/" + r.instance().id()));
      key.addAll(new java.util.TreeSet<>(input.retainedServices()));
      return memo.computeIfAbsent(key, k -> real.translate(input));
    }

    @Override
    public TranslationFunction fresh() {
      return new StaleMemo();
    }
  }

  private ControlLoop loop(TranslationFunction translation) {
    loop =
        ControlLoop.builder(provider, translation, (resources, seenAt) -> sent.add(resources))
            .clock(clock)
            .meterRegistry(registry)
            .build();
    return loop;
  }

  private double drift() {
    return registry.get(LoopMetrics.INCREMENTAL_DRIFT).counter().count();
  }

  private static int port(XdsResources resources) {
    return resources
        .endpoints()
        .get(0)
        .getEndpoints(0)
        .getLbEndpoints(0)
        .getEndpoint()
        .getAddress()
        .getSocketAddress()
        .getPortValue();
  }

  @Test
  void verify_driftingMemoIsDetectedCountedLoggedOnceAndCorrected() {
    loop(new StaleMemo());
    assertThat(drift()).isZero();
    provider.set(List.of(ControlLoopTest.vm("vm-1", "api", 8080)));
    loop.refreshNow();
    provider.set(List.of(ControlLoopTest.vm("vm-1", "api", 9090)));
    loop.refreshNow();
    // The memo served the stale port.
    assertThat(port(loop.published().orElseThrow().resources())).isEqualTo(8080);

    List<String> warnings = ControlLoopTest.warnings(() -> assertThat(loop.verifyNow()).isTrue());

    assertThat(drift()).isEqualTo(1);
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("differs from a full recompute")
        .contains("ClusterLoadAssignment api differs");
    assertThat(port(loop.published().orElseThrow().resources())).isEqualTo(9090);
    assertThat(port(sent.get(sent.size() - 1))).isEqualTo(9090);
    // Corrected: the fresh translation now serves, and agrees with a full recompute.
    assertThat(ControlLoopTest.warnings(() -> assertThat(loop.verifyNow()).isFalse())).isEmpty();
    assertThat(drift()).isEqualTo(1);
  }

  @Test
  void verify_correctTranslationFindsNoDrift() {
    loop(TranslationFunction.of(MeshConfig.defaults()));
    provider.set(List.of(ControlLoopTest.vm("vm-1", "api", 8080)));
    loop.refreshNow();
    provider.set(List.of(ControlLoopTest.vm("vm-1", "api", 9090)));
    loop.refreshNow();
    provider.set(List.of());
    loop.refreshNow();
    clock.advance(Duration.ofSeconds(31));

    assertThat(loop.verifyNow()).isFalse();

    assertThat(drift()).isZero();
  }

  @Test
  void verify_nothingDiscoveredYetChecksNothing() {
    assertThat(loop(new StaleMemo()).verifyNow()).isFalse();
  }

  @Test
  void start_checksOnTheConfiguredInterval() {
    java.time.Clock real = java.time.Clock.systemUTC();
    TestProvider live = new TestProvider(real);
    live.set(List.of(ControlLoopTest.vm("vm-1", "api", 8080)));
    loop =
        ControlLoop.builder(live, new StaleMemo(), (resources, seenAt) -> sent.add(resources))
            .config(
                ControlLoopConfig.builder()
                    .changeCoalescing(Duration.ZERO)
                    .fullRecomputeInterval(Duration.ofMillis(50))
                    .build())
            .clock(real)
            .meterRegistry(registry)
            .build();
    loop.start();
    Await.until(Duration.ofSeconds(10), () -> loop.published().isPresent(), "first publish");

    live.set(List.of(ControlLoopTest.vm("vm-1", "api", 9090)));

    Await.until(
        Duration.ofSeconds(10),
        () -> port(loop.published().orElseThrow().resources()) == 9090,
        "the full result served");
    assertThat(drift()).isEqualTo(1);
  }
}
