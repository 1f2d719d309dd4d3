package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ControlLoopTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final TestProvider provider = new TestProvider(clock);
  private final List<XdsResources> sent = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventLog events = new EventLog(clock, EventLog.DEFAULT_CAPACITY);
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
        ControlLoop.builder(provider, translation, (resources, seenAt) -> sent.add(resources))
            .config(config)
            .validator(validator)
            .clock(clock)
            .meterRegistry(registry)
            .events(events)
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

    assertThat(loop.discovery().heldRemovals())
        .containsExactly(new HeldRemoval("api", 4, 0, 1, 3, START, START.plusSeconds(60)));
    assertThat(states()).containsOnlyKeys("vm-1", "vm-2", "vm-3", "vm-4");
  }

  @Test
  void refresh_massRemovalAppliedOnceSeenOnEnoughDiscoveriesOverTheHoldTime() {
    provider.set(vms(4));
    loop().refreshNow();
    provider.set(vms(1));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.discovery().heldRemovals())
        .containsExactly(new HeldRemoval("api", 4, 1, 1, 3, START, START.plusSeconds(60)));
    clock.advance(Duration.ofSeconds(30));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.discovery().heldRemovals())
        .containsExactly(new HeldRemoval("api", 4, 1, 2, 3, START, START.plusSeconds(60)));

    clock.advance(Duration.ofSeconds(30));
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

    clock.advance(Duration.ofSeconds(5));

    loop.refreshNow();

    assertThat(loop.discovery().heldRemovals())
        .containsExactly(
            new HeldRemoval("api", 4, 1, 1, 3, START.plusSeconds(5), START.plusSeconds(65)));
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
  void refresh_problemsOfNoOneInstanceArePublishedWithThoseOfInstances() {
    TranslationFunction production = translation;
    Problem orphanRoute =
        Problem.of("gateway edge", "route /db", "db", "names a service with no instances");
    translation =
        input -> {
          Translation t = production.translate(input);
          List<Problem> problems = new ArrayList<>(t.problems());
          problems.add(orphanRoute);
          return new Translation(t.resources(), t.instances(), problems);
        };
    Instance badPort =
        Instance.builder("vm-2", "vm-2", "10.0.0.9")
            .tags(Map.of("mesh-service", "api", "mesh-port", "http"))
            .build();
    provider.set(List.of(vm("vm-1", "api", 8001), badPort));

    loop().refreshNow();

    PublishedSnapshot published = loop.published().orElseThrow();
    List<Problem> ofInstances =
        published.instances().stream().flatMap(i -> i.problems().stream()).toList();
    assertThat(ofInstances).hasSize(1);
    assertThat(published.problems()).containsExactly(ofInstances.get(0), orphanRoute);
  }

  @Test
  void metrics_discoveryTimedByOutcomeFailuresCountedByCauseApiCallsPerRefresh() {
    provider.set(vms(2));
    provider.costs(3, () -> clock.advance(Duration.ofMillis(400)));
    loop().refreshNow();
    provider.fail(new DiscoveryException("throttled", "ARM answered 429 three times"));

    loop.refreshNow();
    loop.refreshNow();

    Timer succeeded =
        registry.get(LoopMetrics.DISCOVERY_DURATION).tag("outcome", "success").timer();
    assertThat(succeeded.count()).isEqualTo(1);
    assertThat(succeeded.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(400.0);
    Timer failed = registry.get(LoopMetrics.DISCOVERY_DURATION).tag("outcome", "failure").timer();
    assertThat(failed.count()).isEqualTo(2);
    assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(800.0);
    assertThat(
            registry
                .get(LoopMetrics.DISCOVERY_FAILURES)
                .tag("cause", "throttled")
                .counter()
                .count())
        .isEqualTo(2.0);
    DistributionSummary apiCalls = registry.get(LoopMetrics.DISCOVERY_API_CALLS).summary();
    assertThat(apiCalls.count()).isEqualTo(1);
    assertThat(apiCalls.totalAmount()).isEqualTo(3.0);
    assertThat(registry.get(LoopMetrics.SNAPSHOTS_PUBLISHED).counter().count()).isEqualTo(1.0);
  }

  @Test
  void metrics_rateLimitRemainingIsAGaugeOfTheLastDiscoveryThatReportedIt() {
    provider.set(vms(2));
    loop().refreshNow();
    assertThat(registry.find(LoopMetrics.DISCOVERY_RATE_LIMIT_REMAINING).gauge()).isNull();

    provider.rateLimitRemaining(11_999);
    loop.refreshNow();
    provider.rateLimitRemaining(42);
    loop.refreshNow();

    assertThat(registry.get(LoopMetrics.DISCOVERY_RATE_LIMIT_REMAINING).gauge().value())
        .isEqualTo(42.0);
  }

  @Test
  void metrics_eachAnnouncedBudgetIsAGaugeByItsPolicyName() {
    provider.set(vms(2));
    provider.budgets(
        Map.of("subscription-reads", 11_999L, "Microsoft.Compute/HighCostGet3Min", 139L));
    loop().refreshNow();
    provider.budgets(Map.of("subscription-reads", 11_990L, "resource-graph-user-quota", 14L));
    loop.refreshNow();

    assertThat(budget("subscription-reads")).isEqualTo(11_990.0);
    // Not reported by the last discovery: its last announced value stays.
    assertThat(budget("Microsoft.Compute/HighCostGet3Min")).isEqualTo(139.0);
    assertThat(budget("resource-graph-user-quota")).isEqualTo(14.0);
  }

  private double budget(String policy) {
    return registry
        .get(LoopMetrics.DISCOVERY_RATE_LIMIT_BUDGET)
        .tag("policy", policy)
        .gauge()
        .value();
  }

  @Test
  void metrics_publishesAndValidationRejectionsAreCounted() {
    SnapshotValidator noMoreThanTwo =
        resources ->
            resources.endpoints().get(0).getEndpointsList().get(0).getLbEndpointsCount() > 2
                ? List.of("endpoints api: more than 2 endpoints")
                : List.of();
    provider.set(vms(2));
    loop(ControlLoopConfig.defaults(), noMoreThanTwo).refreshNow();
    provider.set(vms(3));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.REJECTED);
    provider.set(vms(1));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    assertThat(registry.get(LoopMetrics.SNAPSHOTS_PUBLISHED).counter().count()).isEqualTo(2.0);
    assertThat(registry.get(LoopMetrics.SNAPSHOTS_REJECTED).counter().count()).isEqualTo(1.0);
  }

  @Test
  void refresh_translationFailureIsReportedAsRejection() {
    translation =
        input -> {
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
  void start_refreshThatThrowsAnErrorIsRetriedNotTheEndOfTheLoop() {
    provider.set(vms(2));
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    // A broken classpath (a VerifyError in validation) once killed the schedule silently.
    provider.costs(
        0,
        () -> {
          if (broken.getAndSet(false)) {
            throw new NoClassDefFoundError("io/envoyproxy/pgv/validate/Validate");
          }
        });
    loop(
            ControlLoopConfig.builder()
                .refreshInterval(Duration.ofHours(1))
                .changeCoalescing(Duration.ofHours(1))
                .failureBackoff(Duration.ofMillis(20))
                .build(),
            SnapshotValidator.envoyRules())
        .start();

    Await.until(Duration.ofSeconds(10), () -> loop.published().isPresent(), "a later publish");

    assertThat(provider.calls()).isGreaterThanOrEqualTo(2);
  }

  private static Instance vm(String name, String service, int port, String ip) {
    return Instance.builder(name, name, ip)
        .tags(Map.of("mesh-service", service, "mesh-port", String.valueOf(port)))
        .build();
  }

  private static List<Instance> service(String service, int count) {
    List<Instance> vms = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      vms.add(vm(service + "-" + i, service, 8080, "10.0.1." + i));
    }
    return vms;
  }

  /** Each endpoint's health in a service's ClusterLoadAssignment, by instance name. */
  private Map<String, HealthStatus> health(String service) {
    return loop.published().orElseThrow().resources().endpoints().stream()
        .filter(cla -> cla.getClusterName().equals(service))
        .flatMap(cla -> cla.getEndpointsList().stream())
        .flatMap(locality -> locality.getLbEndpointsList().stream())
        .collect(Collectors.toMap(e -> e.getEndpoint().getHostname(), e -> e.getHealthStatus()));
  }

  private List<String> clusters() {
    return loop.published().orElseThrow().resources().clusters().stream()
        .map(c -> c.getName())
        .toList();
  }

  private static Instance retagged(Instance instance, String service) {
    Map<String, String> tags = new HashMap<>(instance.tags());
    tags.put("mesh-service", service);
    return instance.toBuilder().tags(tags).build();
  }

  @Test
  void refresh_retaggedInstanceDrainsFromTheServiceItLeftAndServesInTheNewOne() {
    List<Instance> web = service("web", 3);
    provider.set(web);
    loop().refreshNow();
    provider.set(List.of(retagged(web.get(0), "api"), web.get(1), web.get(2)));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    assertThat(health("web"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "web-1", HealthStatus.DRAINING,
                "web-2", HealthStatus.HEALTHY,
                "web-3", HealthStatus.HEALTHY));
    assertThat(health("api")).containsExactlyEntriesOf(Map.of("web-1", HealthStatus.HEALTHY));
    InstanceStatus moved =
        loop.published().orElseThrow().instances().stream()
            .filter(i -> i.instance().id().equals("web-1"))
            .findFirst()
            .orElseThrow();
    assertThat(moved.state()).isEqualTo(InstanceStatus.State.SERVING);
    assertThat(moved.endpoints())
        .extracting(InstanceStatus.ServiceEndpoint::service, InstanceStatus.ServiceEndpoint::state)
        .containsExactly(
            tuple("api", InstanceStatus.State.SERVING),
            tuple("web", InstanceStatus.State.DRAINING));

    clock.advance(Duration.ofSeconds(30));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(health("web")).containsOnlyKeys("web-2", "web-3");
    assertThat(health("api")).containsOnlyKeys("web-1");
  }

  @Test
  void refresh_retaggingEveryInstanceOfAServiceIsAMassRemovalOfThatService() {
    List<Instance> web = service("web", 4);
    provider.set(web);
    loop().refreshNow();
    provider.set(web.stream().map(vm -> retagged(vm, "api")).toList());

    loop.refreshNow();

    assertThat(loop.discovery().heldRemovals())
        .containsExactly(new HeldRemoval("web", 4, 0, 1, 3, START, START.plusSeconds(60)));
    assertThat(health("web")).hasSize(4).containsValue(HealthStatus.HEALTHY);
    assertThat(health("web").values()).containsOnly(HealthStatus.HEALTHY);
    assertThat(health("api")).containsOnlyKeys("web-1", "web-2", "web-3", "web-4");
  }

  @Test
  void refresh_changeSignalsAndDrainWakeUpsCannotConfirmAHeldRemovalWithinSeconds() {
    provider.set(vms(4));
    loop().refreshNow();
    provider.set(vms(1));

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
      assertThat(loop.replanNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    }

    assertThat(loop.discovery().heldRemovals())
        .containsExactly(
            new HeldRemoval("api", 4, 1, 5, 3, START.plusSeconds(1), START.plusSeconds(61)));
    assertThat(states()).containsOnlyKeys("vm-1", "vm-2", "vm-3", "vm-4");
    clock.advance(Duration.ofSeconds(56));
    assertThat(loop.replanNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(loop.discovery().heldRemovals()).isEmpty();
    assertThat(states()).containsEntry("vm-2", InstanceStatus.State.DRAINING);
  }

  @Test
  void refresh_viewFollowsEachDiscoveryEvenWhenResourcesDoNotChange() {
    provider.set(vms(2));
    loop().refreshNow();
    Instance badPort =
        Instance.builder("vm-9", "vm-9", "10.0.0.9")
            .tags(Map.of("mesh-service", "api", "mesh-port", "http"))
            .build();
    List<Instance> next = new ArrayList<>(vms(2));
    next.add(badPort);
    provider.set(next);
    clock.advance(Duration.ofSeconds(30));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    PublishedSnapshot view = loop.published().orElseThrow();
    assertThat(view.snapshotVersion()).isEqualTo(1);
    assertThat(view.publishedAt()).isEqualTo(START);
    assertThat(states()).containsEntry("vm-9", InstanceStatus.State.EXCLUDED);
    assertThat(view.problems())
        .extracting(Problem::message)
        .containsExactly("vm-9: tag mesh-port is 'http', not a port number (1..65535)");
    assertThat(sent).hasSize(1);
  }

  @Test
  void refresh_serviceThatEmptiesKeepsClusterListenerAndEmptyEndpointsForTheRetention() {
    ControlLoopConfig config =
        ControlLoopConfig.builder()
            .massRemovalFraction(1.0)
            .serviceRetention(Duration.ofHours(1))
            .build();
    List<Instance> web = service("web", 2);
    provider.set(web);
    loop(config, SnapshotValidator.envoyRules()).refreshNow();
    provider.set(List.of());
    loop.refreshNow();
    clock.advance(Duration.ofSeconds(30));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    XdsResources empty = loop.published().orElseThrow().resources();
    assertThat(clusters()).containsExactly("web");
    assertThat(health("web")).isEmpty();
    assertThat(empty.listeners()).extracting(l -> l.getName()).contains("web");
    provider.set(service("web", 2).stream().map(vm -> vm.toBuilder().build()).toList());
    clock.advance(Duration.ofMinutes(59));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    XdsResources back = loop.published().orElseThrow().resources();
    // Back by EDS alone: clusters, listeners and routes are byte-identical.
    assertThat(back.versions().clusters()).isEqualTo(empty.versions().clusters());
    assertThat(back.versions().listeners()).isEqualTo(empty.versions().listeners());
    assertThat(back.versions().routes()).isEqualTo(empty.versions().routes());
    assertThat(health("web")).containsOnlyKeys("web-1", "web-2");
  }

  @Test
  void refresh_emptyServiceIsRemovedWhenTheRetentionEnds() {
    ControlLoopConfig config =
        ControlLoopConfig.builder()
            .massRemovalFraction(1.0)
            .drainPeriod(Duration.ZERO)
            .serviceRetention(Duration.ofMinutes(10))
            .build();
    provider.set(List.of(vm("web-1", "web", 8080), vm("api-1", "api", 8081)));
    loop(config, SnapshotValidator.envoyRules()).refreshNow();
    provider.set(List.of(vm("api-1", "api", 8081)));
    loop.refreshNow();
    loop.refreshNow();
    assertThat(clusters()).containsExactly("api", "web");
    clock.advance(Duration.ofMinutes(9));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    clock.advance(Duration.ofMinutes(1));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);

    assertThat(clusters()).containsExactly("api");
  }

  @Test
  void config_backoffDoublesFromTheFirstDelayUpToTheRefreshIntervalWithJitter() {
    ControlLoopConfig config =
        ControlLoopConfig.builder()
            .refreshInterval(Duration.ofSeconds(30))
            .failureBackoff(Duration.ofSeconds(1))
            .build();

    assertThat(config.backoff(1, 1.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.backoff(2, 1.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.backoff(5, 1.0)).isEqualTo(Duration.ofSeconds(16));
    assertThat(config.backoff(6, 1.0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.backoff(1_000, 1.0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.backoff(5, 0.0)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void failure_sameErrorIsReportedOncePerMinuteWithACount() {
    provider.set(vms(2));
    loop().refreshNow();
    provider.fail(new DiscoveryException("throttled", "ARM answered 429"));

    for (int i = 0; i < 13; i++) {
      loop.refreshNow();
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(events.since(0))
        .filteredOn(e -> e.kind() == MeshEvent.Kind.DISCOVERY_FAILED)
        .extracting(MeshEvent::reason)
        .containsExactly(
            "throttled: ARM answered 429; the last good snapshot stays",
            "throttled: ARM answered 429 (7 failures in a row since 2026-01-01T00:00:00Z, 5 not"
                + " reported)",
            "throttled: ARM answered 429 (13 failures in a row since 2026-01-01T00:00:00Z, 5 not"
                + " reported)");
  }

  @Test
  void failure_duringADrainBacksOffAndEndsTheDrainWithoutAskingTheProvider() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.azmesh");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      Clock real = Clock.systemUTC();
      TestProvider failing = new TestProvider(real);
      failing.set(vms(3));
      loop =
          ControlLoop.builder(failing, translation, (resources, seenAt) -> sent.add(resources))
              .config(
                  ControlLoopConfig.builder()
                      .refreshInterval(Duration.ofSeconds(5))
                      .changeCoalescing(Duration.ZERO)
                      .drainPeriod(Duration.ofMillis(300))
                      .failureBackoff(Duration.ofMillis(100))
                      .build())
              .clock(real)
              // The longest jitter: delays of 100, 200, 400, 800, 1,600, 3,200 ms, then the 5 s
              // cap.
              .random(() -> -1L)
              .build();
      loop.start();
      Await.until(Duration.ofSeconds(10), () -> loop.published().isPresent(), "first publish");
      failing.set(vms(2));
      Await.until(
          Duration.ofSeconds(10),
          () -> loop.published().orElseThrow().snapshotVersion() == 2,
          "vm-3 to drain");
      failing.fail(new DiscoveryException("throttled", "ARM answered 429"));
      int callsAtFailure = failing.calls();
      long start = System.nanoTime();

      Await.until(
          Duration.ofSeconds(10),
          () -> !states().containsKey("vm-3"),
          "vm-3's drain to end while discovery fails");
      // Watch the failing provider for 10 s: the change signal's attempt, then about 7 backed-off
      // ones (the hot loop this replaced made 30,000 in 5 s).
      Await.until(
          Duration.ofSeconds(20),
          () -> System.nanoTime() - start > Duration.ofSeconds(10).toNanos(),
          "ten seconds of failures");

      assertThat(failing.calls() - callsAtFailure).isBetween(2, 9);
      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .filteredOn(line -> line.contains("ARM answered 429"))
          .containsExactly(
              "discovery-failed test: throttled: ARM answered 429; the last good snapshot stays");
      assertThat(loop.published().orElseThrow().snapshotVersion()).isEqualTo(3);
    } finally {
      logger.detachAppender(lines);
    }
  }

  /** A loop that keeps its state in {@code dir}, publishing to {@code sink}. */
  private ControlLoop persistent(
      Path dir, List<XdsResources> sink, EventLog log, TestProvider source) {
    return ControlLoop.builder(source, translation, (resources, seenAt) -> sink.add(resources))
        .clock(clock)
        .events(log)
        .stateDirectory(dir)
        .build();
  }

  @Test
  void restart_midDrainServesAtOnceAndGivesTheSameVersionsAsAReplicaThatDidNotRestart(
      @TempDir Path dir) {
    TestProvider replicaSource = new TestProvider(clock);
    ControlLoop replica =
        ControlLoop.builder(replicaSource, translation, (resources, seenAt) -> {})
            .clock(clock)
            .build();
    List<XdsResources> firstSink = new ArrayList<>();
    ControlLoop first = persistent(dir, firstSink, events, provider);
    for (List<Instance> inventory : List.of(vms(3), vms(2))) {
      provider.set(inventory);
      replicaSource.set(inventory);
      first.refreshNow();
      replica.refreshNow();
      clock.advance(Duration.ofSeconds(10));
    }
    first.close();
    List<XdsResources> secondSink = new ArrayList<>();
    EventLog secondEvents = new EventLog(clock, EventLog.DEFAULT_CAPACITY);

    loop = persistent(dir, secondSink, secondEvents, provider);

    PublishedSnapshot restored = loop.published().orElseThrow();
    assertThat(restored.snapshotVersion()).isEqualTo(2);
    assertThat(secondSink).containsExactly(restored.resources());
    assertThat(restored.resources().versions())
        .isEqualTo(replica.published().orElseThrow().resources().versions());
    assertThat(states()).containsEntry("vm-3", InstanceStatus.State.DRAINING);
    assertThat(secondEvents.since(0))
        .extracting(MeshEvent::kind)
        .startsWith(MeshEvent.Kind.SERVICE_APPEARED, MeshEvent.Kind.INSTANCE_ADDED);
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    clock.advance(Duration.ofSeconds(20));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(replica.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(loop.published().orElseThrow().resources().versions())
        .isEqualTo(replica.published().orElseThrow().resources().versions());
    assertThat(loop.published().orElseThrow().snapshotVersion()).isEqualTo(3);
    assertThat(states()).doesNotContainKey("vm-3");
    replica.close();
  }

  @Test
  void restart_whileTheProviderFindsNothingKeepsServingTheOldEndpointsWithTheGuardHolding(
      @TempDir Path dir) {
    provider.set(vms(4));
    ControlLoop first = persistent(dir, new ArrayList<>(), events, provider);
    first.refreshNow();
    XdsResources before = first.published().orElseThrow().resources();
    first.close();
    provider.set(List.of());
    List<XdsResources> sink = new ArrayList<>();
    clock.advance(Duration.ofSeconds(5));

    loop = persistent(dir, sink, new EventLog(clock, 100), provider);
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    assertThat(sink).containsExactly(before);
    assertThat(loop.published().orElseThrow().resources()).isEqualTo(before);
    assertThat(loop.discovery().heldRemovals())
        .containsExactly(
            new HeldRemoval("api", 4, 0, 1, 3, START.plusSeconds(5), START.plusSeconds(65)));
    assertThat(endpointHealth().values()).containsOnly(HealthStatus.HEALTHY).hasSize(4);
  }

  @Test
  void restart_withACorruptStateFileWarnsNamingItAndStartsFresh(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("control-loop-state.json");
    Files.writeString(file, "{\"format\": 1, \"snapshot\": [");
    List<String> warnings = warnings(() -> loop = persistent(dir, sent, events, provider));

    assertThat(loop.published()).isEmpty();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .startsWith("state file " + file + " cannot be read: ")
        .endsWith("; starting without saved state");
    provider.set(vms(1));
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    loop.close(); // writes what the state writer still holds
    assertThat(Files.readString(file)).startsWith("{\"format\":1,");
  }

  @Test
  void restart_withAStateFileOfAnotherFormatWarnsNamingItAndStartsFresh(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("control-loop-state.json");
    Files.writeString(file, "{\"format\": 99}");

    List<String> warnings = warnings(() -> loop = persistent(dir, sent, events, provider));

    assertThat(loop.published()).isEmpty();
    assertThat(warnings)
        .containsExactly(
            "state file "
                + file
                + " has format 99; this version reads format 1; starting without saved state");
  }

  /** The WARN lines azmesh logs while {@code action} runs. */
  static List<String> warnings(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger("io.azmesh");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      action.run();
    } finally {
      logger.detachAppender(lines);
    }
    return lines.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
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
