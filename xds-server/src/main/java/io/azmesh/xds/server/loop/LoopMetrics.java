package io.azmesh.xds.server.loop;

import io.azmesh.discovery.DiscoveryScope;
import io.azmesh.discovery.DiscoveryStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control loop's event meters: the one place their names are defined. The xDS server's are in
 * {@code ServingMetrics}; what can be read from the mesh state at any time is status-http's {@code
 * MeshStateMetrics}, which must not reuse these names.
 *
 * <p>docs/api.md lists the Prometheus names these become ({@code azmesh.snapshots.published} is
 * {@code azmesh_snapshots_published_total}).
 */
public final class LoopMetrics {
  /** Timer of {@code DiscoveryProvider.discover()}, tag {@code outcome}: success or failure. */
  public static final String DISCOVERY_DURATION = "azmesh.discovery.duration";

  /** Counter of failed discoveries, tag {@code cause}: the {@code DiscoveryException} label. */
  public static final String DISCOVERY_FAILURES = "azmesh.discovery.failures";

  /** Distribution of remote (Azure API) calls per successful discovery. */
  public static final String DISCOVERY_API_CALLS = "azmesh.discovery.api.calls";

  /**
   * Gauge of the fewest calls the remote API (Azure's {@code x-ms-ratelimit-remaining-*}) said were
   * left in the last discovery that reported it; absent until one does.
   */
  public static final String DISCOVERY_RATE_LIMIT_REMAINING =
      "azmesh.discovery.rate.limit.remaining";

  /**
   * Gauge, tag {@code policy}: what each budget the remote API announced had left in the last
   * discovery that reported it (Azure: {@code subscription-reads}, {@code
   * Microsoft.Compute/HighCostGet3Min}, {@code resource-graph-user-quota}, ...). Budgets refill at
   * different rates, so each is only comparable with itself.
   */
  public static final String DISCOVERY_RATE_LIMIT_BUDGET = "azmesh.discovery.rate.limit.budget";

  /**
   * Gauge per discovery scope (tag {@code scope}, e.g. {@code subscription 0000-…}): 1 when the
   * last discovery listed it, 0 when it failed or was throttled and kept its last good instances.
   */
  public static final String DISCOVERY_SCOPE_HEALTHY = "azmesh.discovery.scope.healthy";

  /** Counter of snapshots published. */
  public static final String SNAPSHOTS_PUBLISHED = "azmesh.snapshots.published";

  /** Counter of snapshots that failed validation and were not published. */
  public static final String SNAPSHOTS_REJECTED = "azmesh.snapshots.rejected";

  /**
   * Counter of full recomputes that found the incremental result different (a defect of the
   * incremental path; the full result was served). Registered at 0.
   */
  public static final String INCREMENTAL_DRIFT = "azmesh.incremental.drift";

  /**
   * The failure causes docs/api.md lists (the providers' labels and the loop's own {@code error}):
   * at 0 from the start, so Prometheus sees the first failure of each as an increase.
   */
  private static final List<String> CAUSES =
      List.of(
          "throttled",
          "auth",
          "unreachable",
          "timeout",
          "malformed-response",
          "azure-error",
          "interrupted",
          "io",
          "parse",
          "error");

  private final MeterRegistry registry;
  private final AtomicLong rateLimitRemaining = new AtomicLong(-1);
  private final Map<String, AtomicLong> budgets = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> scopeHealthy = new ConcurrentHashMap<>();
  private final Timer discoverySucceeded;
  private final Timer discoveryFailed;
  private final DistributionSummary apiCalls;
  private final Counter published;
  private final Counter rejected;
  private final Counter drift;

  private LoopMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.discoverySucceeded = discoveryTimer("success");
    this.discoveryFailed = discoveryTimer("failure");
    this.apiCalls =
        DistributionSummary.builder(DISCOVERY_API_CALLS)
            .description("Remote calls (Azure API requests) per successful discovery")
            .register(registry);
    this.published =
        Counter.builder(SNAPSHOTS_PUBLISHED)
            .description("Snapshots published since start")
            .register(registry);
    this.rejected =
        Counter.builder(SNAPSHOTS_REJECTED)
            .description("Snapshots that failed validation and were not published")
            .register(registry);
    this.drift =
        Counter.builder(INCREMENTAL_DRIFT)
            .description(
                "Full recomputes that found the incremental result different; the full one was"
                    + " served")
            .register(registry);
    CAUSES.forEach(this::failures);
  }

  /** Records on this registry. */
  public static LoopMetrics on(MeterRegistry registry) {
    return new LoopMetrics(registry);
  }

  /** Records nothing: for library users who do not collect metrics. */
  public static LoopMetrics none() {
    // An empty composite hands out no-op meters.
    return new LoopMetrics(new CompositeMeterRegistry());
  }

  private Timer discoveryTimer(String outcome) {
    return Timer.builder(DISCOVERY_DURATION)
        .description("Time the discovery provider took, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  void discovered(Duration elapsed, DiscoveryStats stats) {
    discoverySucceeded.record(elapsed);
    apiCalls.record(stats.apiCalls());
    stats
        .rateLimitRemaining()
        .ifPresent(
            remaining -> {
              if (rateLimitRemaining.getAndSet(remaining) < 0) {
                Gauge.builder(DISCOVERY_RATE_LIMIT_REMAINING, rateLimitRemaining, AtomicLong::get)
                    .description(
                        "Fewest calls the remote API said were left, in the last discovery")
                    .register(registry);
              }
            });
    stats
        .rateLimitBudgets()
        .forEach(
            (policy, left) ->
                gauge(
                        budgets,
                        DISCOVERY_RATE_LIMIT_BUDGET,
                        "policy",
                        policy,
                        "What each announced remote API budget had left, by policy name")
                    .set(left));
  }

  /** The gauge of one tag value, registered the first time it is set. */
  private AtomicLong gauge(
      Map<String, AtomicLong> gauges, String name, String tag, String value, String description) {
    return gauges.computeIfAbsent(
        value,
        v -> {
          AtomicLong held = new AtomicLong();
          Gauge.builder(name, held, AtomicLong::get)
              .description(description)
              .tag(tag, v)
              .register(registry);
          return held;
        });
  }

  private Counter failures(String cause) {
    return Counter.builder(DISCOVERY_FAILURES)
        .description("Failed discoveries by cause; the last one is in /api/problems")
        .tag("cause", cause)
        .register(registry);
  }

  /** Sets each scope's health gauge from the last discovery's scopes. */
  void scopes(List<DiscoveryScope> scopes) {
    for (DiscoveryScope scope : scopes) {
      gauge(
              scopeHealthy,
              DISCOVERY_SCOPE_HEALTHY,
              "scope",
              scope.scope(),
              "1 when the last discovery listed the scope, 0 when it kept its last good instances")
          .set(scope.health() == DiscoveryScope.Health.OK ? 1 : 0);
    }
  }

  void discoveryFailed(Duration elapsed, String cause) {
    discoveryFailed.record(elapsed);
    failures(cause).increment();
  }

  void published() {
    published.increment();
  }

  void rejected() {
    rejected.increment();
  }

  void drifted() {
    drift.increment();
  }
}
