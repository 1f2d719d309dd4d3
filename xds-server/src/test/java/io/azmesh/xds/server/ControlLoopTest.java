package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.translator.MeshConfig;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final TestProvider provider = new TestProvider(clock);
  private final List<XdsResources> sent = new CopyOnWriteArrayList<>();
  private TranslationFunction translation = TranslationFunction.of(MeshConfig.defaults());
  private ControlLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  private ControlLoop loop(ControlLoopConfig config, SnapshotValidator validator) {
    loop =
        ControlLoop.builder(provider, translation, sent::add)
            .config(config)
            .validator(validator)
            .clock(clock)
            .build();
    return loop;
  }

  private ControlLoop loop() {
    return loop(ControlLoopConfig.defaults(), SnapshotValidator.envoyRules());
  }

  static Instance vm(String name, String service, int port) {
    return Instance.builder(name, name, "10.0.0." + (port % 250 + 1))
        .tags(Map.of("mesh-service", service, "mesh-port", String.valueOf(port)))
        .build();
  }

  private static List<Instance> vms(int count) {
    List<Instance> vms = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      vms.add(vm("vm-" + i, "api", 8000 + i));
    }
    return vms;
  }

  private Map<String, InstanceStatus.State> states() {
    return loop.published().orElseThrow().instances().stream()
        .collect(Collectors.toMap(s -> s.instance().name(), InstanceStatus::state));
  }

  private Map<Integer, HealthStatus> endpointHealth() {
    return loop
        .published()
        .orElseThrow()
        .resources()
        .endpoints()
        .get(0)
        .getEndpoints(0)
        .getLbEndpointsList()
        .stream()
        .collect(
            Collectors.toMap(
                e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue(),
                e -> e.getHealthStatus()));
  }

  @Test
  void refresh_firstDiscoveryIsPublishedAsSnapshotOne() {
    provider.set(vms(2));

    assertThat(loop().refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    PublishedSnapshot published = loop.published().orElseThrow();
    assertThat(published.snapshotVersion()).isEqualTo(1);
    assertThat(published.publishedAt()).isEqualTo(START);
    assertThat(sent).containsExactly(published.resources());
    assertThat(endpointHealth())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(8001, HealthStatus.HEALTHY, 8002, HealthStatus.HEALTHY));
  }

  @Test
  void refresh_sameInstancesPublishNothing() {
    provider.set(vms(2));
    loop().refreshNow();
    clock.advance(Duration.ofSeconds(30));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    assertThat(sent).hasSize(1);
    assertThat(loop.published().orElseThrow().snapshotVersion()).isEqualTo(1);
  }

  @Test
  void refresh_vanishedInstanceDrainsThenIsRemoved() {
    provider.set(vms(3));
    loop().refreshNow();
    provider.set(vms(2));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(states()).containsEntry("vm-3", InstanceStatus.State.DRAINING);
    assertThat(endpointHealth()).containsEntry(8003, HealthStatus.DRAINING);

    clock.advance(Duration.ofSeconds(29));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    clock.advance(Duration.ofSeconds(1));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(states()).containsOnlyKeys("vm-1", "vm-2");
    assertThat(endpointHealth()).containsOnlyKeys(8001, 8002);
  }

  @Test
  void refresh_stoppedInstanceDrainsAtItsLastAddress() {
    provider.set(vms(3));
    loop().refreshNow();
    List<Instance> next = new ArrayList<>(vms(2));
    next.add(vms(3).get(2).toBuilder().powerState(PowerState.STOPPED).build());
    provider.set(next);

    loop.refreshNow();

    assertThat(states()).containsEntry("vm-3", InstanceStatus.State.DRAINING);
    assertThat(endpointHealth()).containsEntry(8003, HealthStatus.DRAINING);
  }

  @Test
  void refresh_instanceBackWithinDrainPeriodIsRestored() {
    provider.set(vms(3));
    loop().refreshNow();
    XdsResources original = sent.get(0);
    provider.set(vms(2));
    loop.refreshNow();
    clock.advance(Duration.ofSeconds(10));
    provider.set(vms(3));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    assertThat(states()).containsEntry("vm-3", InstanceStatus.State.SERVING);
    assertThat(loop.published().orElseThrow().resources().versions())
        .isEqualTo(original.versions());
    clock.advance(Duration.ofSeconds(30));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
  }

  @Test
  void refresh_providerFailureKeepsLastSnapshotAndIsCounted() {
    provider.set(vms(2));
    loop().refreshNow();
    PublishedSnapshot good = loop.published().orElseThrow();
    provider.fail(new DiscoveryException("throttled", "ARM answered 429 three times"));

    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(30));
      assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);
    }

    assertThat(loop.published()).contains(good);
    DiscoveryStatus status = loop.discovery();
    assertThat(status.consecutiveFailures()).isEqualTo(3);
    assertThat(status.totalFailures()).isEqualTo(3);
    assertThat(status.lastSuccess()).contains(START);
    assertThat(status.lastAttempt()).contains(START.plusSeconds(90));
    assertThat(status.lastError())
        .contains(
            new DiscoveryStatus.ProviderError(
                "throttled", "ARM answered 429 three times", START.plusSeconds(90)));

    provider.recover();
    clock.advance(Duration.ofSeconds(30));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.discovery().consecutiveFailures()).isZero();
    assertThat(loop.discovery().totalFailures()).isEqualTo(3);
    assertThat(loop.discovery().lastSuccess()).contains(START.plusSeconds(120));
  }

  @Test
  void refresh_emptyDiscoveryIsHeldAsMassRemoval() {
    provider.set(vms(4));
    loop().refreshNow();
    provider.set(List.of());

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    assertThat(loop.discovery().heldRemovals()).containsExactly(new HeldRemoval("api", 4, 0, 1, 3));
    assertThat(states()).containsOnlyKeys("vm-1", "vm-2", "vm-3", "vm-4");
  }

  @Test
  void refresh_massRemovalAppliedOnTheConfirmingRefresh() {
    provider.set(vms(4));
    loop().refreshNow();
    provider.set(vms(1));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.discovery().heldRemovals()).containsExactly(new HeldRemoval("api", 4, 1, 1, 3));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.discovery().heldRemovals()).containsExactly(new HeldRemoval("api", 4, 1, 2, 3));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(loop.discovery().heldRemovals()).isEmpty();
    assertThat(states())
        .containsEntry("vm-1", InstanceStatus.State.SERVING)
        .containsEntry("vm-2", InstanceStatus.State.DRAINING)
        .containsEntry("vm-4", InstanceStatus.State.DRAINING);
  }

  @Test
  void refresh_massRemovalThatIsNotSeenAgainStartsOver() {
    provider.set(vms(4));
    loop().refreshNow();
    provider.set(vms(1));
    loop.refreshNow();
    provider.set(vms(4));
    loop.refreshNow();
    assertThat(loop.discovery().heldRemovals()).isEmpty();
    provider.set(vms(1));

    loop.refreshNow();

    assertThat(loop.discovery().heldRemovals()).containsExactly(new HeldRemoval("api", 4, 1, 1, 3));
  }

  @Test
  void refresh_removalOfHalfIsNotHeld() {
    provider.set(vms(4));
    loop().refreshNow();
    provider.set(vms(2));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    assertThat(loop.discovery().heldRemovals()).isEmpty();
  }

  @Test
  void refresh_invalidSnapshotIsNotPublishedAndIsReported() {
    SnapshotValidator noMoreThanTwo =
        resources ->
            resources.endpoints().get(0).getEndpointsList().stream()
                        .mapToInt(locality -> locality.getLbEndpointsCount())
                        .sum()
                    > 2
                ? List.of("endpoints api: more than 2 endpoints")
                : List.of();
    provider.set(vms(2));
    loop(ControlLoopConfig.defaults(), noMoreThanTwo).refreshNow();
    provider.set(vms(3));
    clock.advance(Duration.ofSeconds(5));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.REJECTED);

    assertThat(sent).hasSize(1);
    assertThat(loop.published().orElseThrow().snapshotVersion()).isEqualTo(1);
    assertThat(loop.discovery().lastRejection())
        .contains(
            new DiscoveryStatus.Rejection(
                START.plusSeconds(5), List.of("endpoints api: more than 2 endpoints")));
  }

  @Test
  void refresh_translationFailureIsReportedAsRejection() {
    translation =
        (instances, draining) -> {
          throw new IllegalStateException("no policy for service api");
        };
    provider.set(vms(1));

    assertThat(loop().refreshNow()).isEqualTo(RefreshOutcome.REJECTED);

    assertThat(loop.published()).isEmpty();
    assertThat(loop.discovery().lastRejection().orElseThrow().violations())
        .containsExactly("translation failed: no policy for service api");
    assertThat(loop.discovery().lastSuccess()).contains(START);
  }

  @Test
  void changeSignal_burstMakesOneRefresh() throws Exception {
    provider.set(vms(2));
    loop(
            ControlLoopConfig.builder()
                .refreshInterval(Duration.ofHours(1))
                .changeCoalescing(Duration.ofMillis(200))
                .build(),
            SnapshotValidator.envoyRules())
        .start();
    Await.until(Duration.ofSeconds(10), () -> loop.published().isPresent(), "first publish");
    int before = provider.calls();

    for (int i = 3; i <= 12; i++) {
      provider.set(vms(i));
    }

    Await.until(
        Duration.ofSeconds(10),
        () -> loop.published().orElseThrow().snapshotVersion() == 2,
        "publish after the burst");
    assertThat(provider.calls()).isEqualTo(before + 1);
    assertThat(states()).hasSize(12);
  }

  @Test
  void start_pollsOnTheIntervalWithoutChangeSignals() {
    provider.set(vms(2));
    loop(
            ControlLoopConfig.builder()
                .refreshInterval(Duration.ofMillis(20))
                .changeCoalescing(Duration.ofHours(1))
                .build(),
            SnapshotValidator.envoyRules())
        .start();

    Await.until(Duration.ofSeconds(10), () -> provider.calls() >= 5, "five polls");

    assertThat(loop.published().orElseThrow().snapshotVersion()).isEqualTo(1);
  }

  @Test
  void config_rejectsOutOfRangeValuesNamingThem() {
    assertThatThrownBy(() -> ControlLoopConfig.builder().massRemovalFraction(0).build())
        .hasMessage("massRemovalFraction (0.0) must be in (0, 1]");
    assertThatThrownBy(() -> ControlLoopConfig.builder().refreshJitter(0.7).build())
        .hasMessage("refreshJitter (0.7) must be in 0..0.5");
    assertThatThrownBy(() -> ControlLoopConfig.builder().massRemovalConfirmations(0).build())
        .hasMessage("massRemovalConfirmations (0) must be at least 1");
    assertThatThrownBy(() -> ControlLoopConfig.builder().refreshInterval(Duration.ZERO).build())
        .hasMessage("refreshInterval (PT0S) must be positive");
    assertThatThrownBy(
            () -> ControlLoopConfig.builder().drainPeriod(Duration.ofSeconds(-1)).build())
        .hasMessage("drainPeriod (PT-1S) must not be negative");
  }
}
