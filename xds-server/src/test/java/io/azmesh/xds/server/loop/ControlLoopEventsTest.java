package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.server.loop.MeshEvent.Kind;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every kind of event the control loop records, made to happen and found in its EventLog. */
class ControlLoopEventsTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final TestProvider provider = new TestProvider(clock);
  private final EventLog events = new EventLog(clock, EventLog.DEFAULT_CAPACITY);
  private ControlLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  private ControlLoop loop(ControlLoopConfig config, SnapshotValidator validator) {
    loop =
        ControlLoop.builder(
                provider, TranslationFunction.of(MeshConfig.defaults()), (resources, at) -> {})
            .config(config)
            .validator(validator)
            .clock(clock)
            .events(events)
            .build();
    return loop;
  }

  private ControlLoop loop() {
    return loop(
        ControlLoopConfig.builder().serviceRetention(Duration.ofMinutes(10)).build(),
        SnapshotValidator.envoyRules());
  }

  private static Instance vm(String name, String service, String ip) {
    return Instance.builder(name, name, ip)
        .tags(Map.of("mesh-service", service, "mesh-port", "8080"))
        .build();
  }

  private static List<Instance> web(int count) {
    List<Instance> vms = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      vms.add(vm("web-" + i, "web", "10.0.0." + i));
    }
    return vms;
  }

  /**
   * The events after {@code sequence} except snapshot publishes, as (kind, subject, service,
   * reason).
   */
  private List<Tuple> after(long sequence) {
    return events.since(sequence).stream()
        .filter(e -> e.kind() != Kind.SNAPSHOT_PUBLISHED)
        .map(e -> tuple(e.kind(), e.subject(), e.service().orElse(null), e.reason()))
        .toList();
  }

  private long last() {
    List<MeshEvent> all = events.since(0);
    return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
  }

  @Test
  void firstDiscovery_recordsServiceAppearedInstancesAddedAndTheSnapshotPublished() {
    provider.set(web(2));

    loop().refreshNow();

    assertThat(events.since(0))
        .extracting(e -> tuple(e.kind(), e.subject(), e.service().orElse(null), e.reason()))
        .containsExactly(
            tuple(Kind.SERVICE_APPEARED, "web", "web", "first endpoint published"),
            tuple(Kind.INSTANCE_ADDED, "web-1", "web", "discovered serving"),
            tuple(Kind.INSTANCE_ADDED, "web-2", "web", "discovered serving"),
            tuple(
                Kind.SNAPSHOT_PUBLISHED,
                "snapshot 1",
                null,
                "1 services, 2 serving and 0 draining endpoints; versions clusters "
                    + loop.published().orElseThrow().resources().versions().clusters()
                    + ", endpoints "
                    + loop.published().orElseThrow().resources().versions().endpoints()
                    + ", listeners "
                    + loop.published().orElseThrow().resources().versions().listeners()
                    + ", routes "
                    + loop.published().orElseThrow().resources().versions().routes()));
  }

  @Test
  void drains_recordTheCauseThenRestoredOrRemoved() {
    List<Instance> vms = web(6);
    provider.set(vms);
    loop().refreshNow();
    long before = last();
    Map<String, String> api = new HashMap<>(vms.get(2).tags());
    api.put("mesh-service", "api");
    provider.set(
        List.of(
            vms.get(0).toBuilder().powerState(PowerState.DEALLOCATED).build(),
            vms.get(2).toBuilder().tags(api).build(),
            vms.get(3),
            vms.get(4),
            vms.get(5)));

    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(Kind.SERVICE_APPEARED, "api", "api", "first endpoint published"),
            tuple(Kind.INSTANCE_ADDED, "web-3", "api", "tags changed: joined the service"),
            tuple(
                Kind.INSTANCE_DRAINING,
                "web-1",
                "web",
                "power state deallocated; drains until 2026-01-01T00:00:30Z"),
            tuple(
                Kind.INSTANCE_DRAINING,
                "web-2",
                "web",
                "disappeared from discovery; drains until 2026-01-01T00:00:30Z"),
            tuple(
                Kind.INSTANCE_DRAINING,
                "web-3",
                "web",
                "tags changed: now serves in api; drains until 2026-01-01T00:00:30Z"));

    before = last();
    provider.set(
        List.of(
            vms.get(1),
            vms.get(2).toBuilder().tags(api).build(),
            vms.get(3),
            vms.get(4),
            vms.get(5)));
    clock.advance(Duration.ofSeconds(30));
    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(Kind.INSTANCE_RESTORED, "web-2", "web", "serving again before its drain ended"),
            tuple(Kind.INSTANCE_REMOVED, "web-1", "web", "drain period ended"),
            tuple(Kind.INSTANCE_REMOVED, "web-3", "web", "drain period ended"));
  }

  @Test
  void guard_recordsRemovalHeldThenReleased() {
    provider.set(web(4));
    loop().refreshNow();
    provider.set(web(1));
    long before = last();

    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(
                Kind.REMOVAL_HELD,
                "web",
                "web",
                "would take 3 of 4 serving endpoints at once; held until seen by 3 discoveries"
                    + " and not before 2026-01-01T00:01:00Z"));
    clock.advance(Duration.ofSeconds(30));
    loop.refreshNow();
    clock.advance(Duration.ofSeconds(30));
    before = last();
    loop.refreshNow();
    assertThat(after(before))
        .containsExactly(
            tuple(Kind.REMOVAL_RELEASED, "web", "web", "confirmed; 3 endpoints drain"),
            tuple(
                Kind.INSTANCE_DRAINING,
                "web-2",
                "web",
                "disappeared from discovery; drains until 2026-01-01T00:01:30Z"),
            tuple(
                Kind.INSTANCE_DRAINING,
                "web-3",
                "web",
                "disappeared from discovery; drains until 2026-01-01T00:01:30Z"),
            tuple(
                Kind.INSTANCE_DRAINING,
                "web-4",
                "web",
                "disappeared from discovery; drains until 2026-01-01T00:01:30Z"));
  }

  @Test
  void guard_recordsReleasedWhenTheRemovalIsNoLongerProposed() {
    provider.set(web(4));
    loop().refreshNow();
    provider.set(web(1));
    loop.refreshNow();
    provider.set(web(4));
    long before = last();

    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(Kind.REMOVAL_RELEASED, "web", "web", "no longer proposed; nothing removed"));
  }

  @Test
  void services_recordEmptiedThenRemovedWhenTheRetentionEnds() {
    provider.set(List.of(vm("web-1", "web", "10.0.0.1"), vm("api-1", "api", "10.0.0.2")));
    loop(
            ControlLoopConfig.builder()
                .massRemovalFraction(1.0)
                .drainPeriod(Duration.ZERO)
                .serviceRetention(Duration.ofMinutes(10))
                .build(),
            SnapshotValidator.envoyRules())
        .refreshNow();
    provider.set(List.of(vm("api-1", "api", "10.0.0.2")));
    loop.refreshNow();
    long before = last();

    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(Kind.INSTANCE_REMOVED, "web-1", "web", "drain period ended"),
            tuple(
                Kind.SERVICE_EMPTIED,
                "web",
                "web",
                "last endpoint left; kept with no endpoints until 2026-01-01T00:10:00Z"));
    clock.advance(Duration.ofMinutes(10));
    before = last();
    loop.refreshNow();
    assertThat(after(before))
        .containsExactly(
            tuple(Kind.SERVICE_REMOVED, "web", "web", "retention ended with no instance back"));
  }

  @Test
  void rejection_isRecordedOnceWhileTheViolationsStayTheSame() {
    SnapshotValidator noMoreThanOne =
        resources ->
            resources.endpoints().get(0).getEndpoints(0).getLbEndpointsCount() > 1
                ? List.of("endpoints web: more than 1 endpoint")
                : List.of();
    provider.set(web(1));
    loop(ControlLoopConfig.defaults(), noMoreThanOne).refreshNow();
    provider.set(web(2));
    long before = last();

    loop.refreshNow();
    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(
                Kind.SNAPSHOT_REJECTED,
                "test",
                null,
                "not published, the last good snapshot stays: endpoints web: more than 1"
                    + " endpoint"));
  }

  @Test
  void discovery_recordsFailedThenRecoveredWithTheCause() {
    provider.set(web(1));
    loop().refreshNow();
    provider.fail(new DiscoveryException("throttled", "ARM answered 429"));
    long before = last();

    loop.refreshNow();
    clock.advance(Duration.ofSeconds(5));
    loop.refreshNow();
    provider.recover();
    clock.advance(Duration.ofSeconds(5));
    loop.refreshNow();

    assertThat(after(before))
        .containsExactly(
            tuple(
                Kind.DISCOVERY_FAILED,
                "test",
                null,
                "throttled: ARM answered 429; the last good snapshot stays"),
            tuple(
                Kind.DISCOVERY_RECOVERED,
                "test",
                null,
                "after 2 failures since 2026-01-01T00:00:00Z; last: throttled: ARM answered 429"));
    assertThat(events.since(before)).allMatch(e -> e.service().equals(Optional.empty()));
  }
}
