package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's work for a change follows the change, not the fleet: counted by {@link
 * ControlLoop#lastWork()}, not timed. A fleet of 2,000 instances in 100 services of 20.
 */
class IncrementalLoopWorkTest {
  private static final int INSTANCES = 2_000;
  private static final int SERVICES = 100;
  private static final int PER_SERVICE = INSTANCES / SERVICES;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void oneEditOfACommentedFlowStyleInventory_plansAndTranslatesOneService(@TempDir Path dir)
      throws IOException {
    Path inventory = dir.resolve("inventory.yaml");
    List<Instance> fleet = fleet();
    write(dir, inventory, fleet);
    try (FileDiscoveryProvider provider =
            FileDiscoveryProvider.builder(inventory).clock(clock).settle(Duration.ZERO).build();
        ControlLoop loop = loop(provider)) {
      assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
      assertThat(loop.lastWork().orElseThrow().services()).isGreaterThanOrEqualTo(SERVICES);

      fleet.set(777, withIp(fleet.get(777), "10.200.0.1"));
      write(dir, inventory, fleet);
      assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

      RefreshPlan.Work work = loop.lastWork().orElseThrow();
      assertThat(work.services()).isEqualTo(1);
      assertThat(work.endpoints()).isLessThanOrEqualTo(PER_SERVICE + 1);
      assertThat(work.instancesTranslated()).isEqualTo(1);
      assertThat(work.servicesTranslated()).isEqualTo(1);
      assertThat(loop.verifyNow()).isFalse();
    }
  }

  @Test
  void anInstanceMovedToAnotherService_plansBothAndDrainsFromTheOld() {
    TestProvider provider = new TestProvider(clock);
    List<Instance> fleet = fleet();
    provider.set(fleet);
    try (ControlLoop loop = loop(provider)) {
      loop.refreshNow();
      Instance moved = fleet.get(5);
      fleet.set(
          5,
          moved.toBuilder().tags(Map.of("mesh-service", "svc-006", "mesh-port", "8080")).build());
      provider.set(fleet);
      loop.refreshNow();

      RefreshPlan.Work work = loop.lastWork().orElseThrow();
      assertThat(work.services()).isEqualTo(2);
      assertThat(work.endpoints()).isLessThanOrEqualTo(2 * PER_SERVICE + 1);
      assertThat(work.instancesTranslated()).isEqualTo(1);
      assertThat(work.servicesTranslated()).isEqualTo(2);
      assertThat(loop.servingState().draining())
          .containsOnlyKeys(new ServingState.Member(moved.id(), "svc-005"));

      // The drain ends: only its service is planned again.
      clock.advance(Duration.ofMinutes(10));
      loop.replanNow();
      assertThat(loop.lastWork().orElseThrow().services()).isEqualTo(1);
      assertThat(loop.servingState().draining()).isEmpty();
      assertThat(loop.verifyNow()).isFalse();
    }
  }

  @Test
  void aRejectedPlan_isFollowedByAFullOne() {
    TestProvider provider = new TestProvider(clock);
    List<Instance> fleet = fleet();
    provider.set(fleet);
    java.util.concurrent.atomic.AtomicBoolean reject =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (ControlLoop loop =
        ControlLoop.builder(
                provider, TranslationFunction.of(MeshConfig.defaults()), (resources, seenAt) -> {})
            .validator(resources -> reject.get() ? List.of("rejected by the test") : List.of())
            .clock(clock)
            .build()) {
      loop.refreshNow();
      reject.set(true);
      fleet.set(1, withIp(fleet.get(1), "10.201.0.1"));
      provider.set(fleet);
      assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.REJECTED);

      // The rejected discovery moved the planner on; the state did not: everything is planned.
      reject.set(false);
      fleet.set(2, withIp(fleet.get(2), "10.201.0.2"));
      provider.set(fleet);
      assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
      assertThat(loop.lastWork().orElseThrow().services()).isGreaterThanOrEqualTo(SERVICES);
      assertThat(loop.verifyNow()).isFalse();
    }
  }

  @Test
  void aKeptServiceWhoseRetentionEnds_isRemovedWhileOthersChange() {
    TestProvider provider = new TestProvider(clock);
    List<Instance> fleet = fleet();
    provider.set(fleet);
    try (ControlLoop loop =
        ControlLoop.builder(
                provider, TranslationFunction.of(MeshConfig.defaults()), (resources, seenAt) -> {})
            .config(
                ControlLoopConfig.builder()
                    .drainPeriod(Duration.ofSeconds(30))
                    .serviceRetention(Duration.ofMinutes(2))
                    .massRemovalFraction(1.0)
                    .build())
            .clock(clock)
            .build()) {
      loop.refreshNow();
      // svc-007 loses every instance: they drain, then the service is kept empty.
      fleet.removeIf(i -> i.tags().get("mesh-service").equals("svc-007"));
      provider.set(fleet);
      loop.refreshNow();
      clock.advance(Duration.ofSeconds(31));
      loop.replanNow();
      assertThat(loop.servingState().emptySince()).containsOnlyKeys("svc-007");

      // Retention ends while an unrelated instance changes: the kept service is planned too.
      clock.advance(Duration.ofMinutes(3));
      fleet.set(0, withIp(fleet.get(0), "10.202.0.1"));
      provider.set(fleet);
      loop.refreshNow();
      assertThat(loop.servingState().emptySince()).isEmpty();
      assertThat(loop.servingState().services()).doesNotContain("svc-007");
      assertThat(loop.lastWork().orElseThrow().services()).isEqualTo(2);
      assertThat(loop.verifyNow()).isFalse();
    }
  }

  private ControlLoop loop(io.azmesh.discovery.DiscoveryProvider provider) {
    return ControlLoop.builder(
            provider, TranslationFunction.of(MeshConfig.defaults()), (resources, seenAt) -> {})
        .config(ControlLoopConfig.builder().drainPeriod(Duration.ofMinutes(5)).build())
        .clock(clock)
        .build();
  }

  private static List<Instance> fleet() {
    List<Instance> fleet = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      String name = String.format("vm-%05d", i);
      fleet.add(
          Instance.builder(
                  name, name, "10." + (i / 62_500) + "." + (i / 250 % 250) + "." + (i % 250 + 1))
              .tags(
                  Map.of(
                      "mesh-service", String.format("svc-%03d", i % SERVICES), "mesh-port", "8080"))
              .build());
    }
    return fleet;
  }

  private static Instance withIp(Instance instance, String ip) {
    return Instance.builder(instance.id(), instance.name(), ip)
        .powerState(instance.powerState())
        .tags(instance.tags())
        .build();
  }

  /** As a user might write it: a comment header, flow-style tags, keys in another order. */
  private static void write(Path dir, Path inventory, List<Instance> fleet) throws IOException {
    StringBuilder yaml = new StringBuilder("# the web tier, kept by hand\ninstances:\n");
    for (Instance i : fleet) {
      yaml.append("  - private_ip: ")
          .append(i.privateIp())
          .append("\n    name: ")
          .append(i.name())
          .append("\n    tags: {mesh-service: ")
          .append(i.tags().get("mesh-service"))
          .append(", mesh-port: \"8080\"}  # owned by team ")
          .append(i.name().hashCode() % 7)
          .append('\n');
    }
    Path next = dir.resolve("next.yaml");
    Files.writeString(next, yaml);
    Files.move(next, inventory, StandardCopyOption.REPLACE_EXISTING);
  }
}
