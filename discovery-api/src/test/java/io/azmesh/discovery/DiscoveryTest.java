package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  private static final DiscoveryStats STATS = new DiscoveryStats("file", 0, Duration.ZERO);
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instance A_INSTANCE = Instance.builder("a", "web-0", "10.0.0.4").build();

  @Test
  void instances_areSortedById() {
    Instance b = Instance.builder("b", "web-1", "10.0.0.5").build();
    Instance a = Instance.builder("a", "web-0", "10.0.0.4").build();

    Discovery discovery = new Discovery(List.of(b, a), List.of(), AT, STATS);

    assertThat(discovery.instances()).containsExactly(a, b);
  }

  @Test
  void duplicateId_isRejected() {
    Instance a = Instance.builder("a", "web-0", "10.0.0.4").build();
    Instance again = Instance.builder("a", "web-1", "10.0.0.5").build();

    assertThatThrownBy(() -> new Discovery(List.of(a, again), List.of(), AT, STATS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance id 'a' appears twice");
  }

  @Test
  void duplicateName_isRejected() {
    Instance a = Instance.builder("a", "web-0", "10.0.0.4").build();
    Instance b = Instance.builder("b", "web-0", "10.0.0.5").build();

    assertThatThrownBy(() -> new Discovery(List.of(a, b), List.of(), AT, STATS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance name 'web-0' appears twice");
  }

  @Test
  void problems_areCopied() {
    java.util.ArrayList<Problem> problems = new java.util.ArrayList<>();
    problems.add(Problem.of("vm-3", "tag mesh-port", "http", "not a port number"));

    Discovery discovery = new Discovery(List.of(), problems, AT, STATS);
    problems.clear();

    assertThat(discovery.problems()).hasSize(1);
  }

  @Test
  void stats_rejectNegativeCalls() {
    assertThatThrownBy(() -> new DiscoveryStats("azure", -1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiCalls (-1) must not be negative");
  }

  @Test
  void stats_rejectNegativeElapsed() {
    assertThatThrownBy(() -> new DiscoveryStats("azure", 0, Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("elapsed (PT-0.005S) must not be negative");
  }

  @Test
  void changesNamingAnAbsentInstance_areRejected() {
    assertThatThrownBy(() -> withA(new InstanceChanges(Set.of(), Set.of("b"), Set.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("changes name instance id 'b' as present, but it is not among the instances");
  }

  @Test
  void changesRemovingAPresentInstance_areRejected() {
    assertThatThrownBy(() -> withA(new InstanceChanges(Set.of(), Set.of(), Set.of("a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("changes name instance id 'a' as removed, but it is among the instances");
  }

  private static Discovery withA(InstanceChanges changes) {
    return new Discovery(List.of(A_INSTANCE), List.of(), AT, STATS, Optional.of(changes));
  }
}
