package io.azmesh.xds.server;

import io.azmesh.discovery.DiscoveryStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The control plane's event meters: the one place their names are defined, and how the control loop
 * and the xDS server record them. Events are counted where they happen; what can be read from
 * {@link MeshState} at any time (instances by state, nodes by sync state) is status-http's {@code
 * MeshStateMetrics}, which must not reuse these names.
 *
 * <p>docs/api.md lists the Prometheus names these become ({@code azmesh.xds.acks} is {@code
 * azmesh_xds_acks_total}).
 */
public final class XdsMetrics {
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

  /** Counter of snapshots published. */
  public static final String SNAPSHOTS_PUBLISHED = "azmesh.snapshots.published";

  /** Counter of snapshots that failed validation and were not published. */
  public static final String SNAPSHOTS_REJECTED = "azmesh.snapshots.rejected";

  /** Gauge of open xDS streams. */
  public static final String STREAMS_OPEN = "azmesh.xds.streams.open";

  /** Counter of ACKs, tag {@code type}: clusters, endpoints, listeners, routes. */
  public static final String ACKS = "azmesh.xds.acks";

  /** Counter of NACKs, tag {@code type}. */
  public static final String NACKS = "azmesh.xds.nacks";

  /**
   * Timer with a percentile histogram, tag {@code type}: from the refresh that saw a change to a
   * node's ACK of the version it produced.
   */
  public static final String CHANGE_TO_ACK = "azmesh.xds.change.to.ack";

  /** Counter of resources sent to clients (removals included), tag {@code type}. */
  public static final String RESOURCES_SENT = "azmesh.xds.resources.sent";

  /** Counter of requests for a resource type this server does not serve. */
  public static final String UNKNOWN_TYPE_REQUESTS = "azmesh.xds.requests.unknown.type";

  /** Lowest and highest change-to-ACK latency the histogram resolves. */
  private static final Duration FASTEST_ACK = Duration.ofMillis(1);

  private static final Duration SLOWEST_ACK = Duration.ofMinutes(5);

  /** The types served; their meters exist from the start, so dashboards see zeroes. */
  private static final List<String> TYPES = List.of("clusters", "endpoints", "listeners", "routes");

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
  private final Timer discoverySucceeded;
  private final Timer discoveryFailed;
  private final DistributionSummary apiCalls;
  private final Counter published;
  private final Counter rejected;
  private final Counter unknownType;

  private XdsMetrics(MeterRegistry registry) {
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
    this.unknownType =
        Counter.builder(UNKNOWN_TYPE_REQUESTS)
            .description("Requests for a resource type this server does not serve")
            .register(registry);
    CAUSES.forEach(this::failures);
    for (String type : TYPES) {
      sent(type);
      acks(type);
      nacks(type);
      changeToAck(type);
    }
  }

  /** Records on this registry. */
  static XdsMetrics on(MeterRegistry registry) {
    return new XdsMetrics(registry);
  }

  /** Records nothing: for library users who do not collect metrics. */
  static XdsMetrics none() {
    // An empty composite hands out no-op meters.
    return new XdsMetrics(new CompositeMeterRegistry());
  }

  private Timer discoveryTimer(String outcome) {
    return Timer.builder(DISCOVERY_DURATION)
        .description("Time the discovery provider took, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  // Micrometer returns the registered meter for a known name and tags; these look it up.

  private Counter acks(String type) {
    return byType(ACKS, "Responses xDS clients accepted, by resource type", type);
  }

  private Counter nacks(String type) {
    return byType(NACKS, "Responses xDS clients rejected, by resource type", type);
  }

  private Counter sent(String type) {
    return byType(RESOURCES_SENT, "Resources sent to xDS clients, by resource type", type);
  }

  private Counter byType(String name, String description, String type) {
    return Counter.builder(name).description(description).tag("type", type).register(registry);
  }

  private Timer changeToAck(String type) {
    return Timer.builder(CHANGE_TO_ACK)
        .description("From the refresh that saw a change to a node's ACK of the version it made")
        .tag("type", type)
        .publishPercentileHistogram()
        .minimumExpectedValue(FASTEST_ACK)
        .maximumExpectedValue(SLOWEST_ACK)
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
  }

  private Counter failures(String cause) {
    return Counter.builder(DISCOVERY_FAILURES)
        .description("Failed discoveries by cause; the last one is in /api/problems")
        .tag("cause", cause)
        .register(registry);
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

  void acked(String type) {
    acks(type).increment();
  }

  void nacked(String type) {
    nacks(type).increment();
  }

  void sent(String type, int resources) {
    sent(type).increment(resources);
  }

  void unknownType() {
    unknownType.increment();
  }

  void changeAcked(String type, Duration latency) {
    changeToAck(type).record(latency);
  }

  /** Registers the open-streams gauge; remove it with {@link #remove} when the server stops. */
  <T> Meter streamsOpen(T source, ToDoubleFunction<T> open) {
    return Gauge.builder(STREAMS_OPEN, source, open)
        .description("Open xDS streams")
        .strongReference(true)
        .register(registry);
  }

  void remove(Meter meter) {
    registry.remove(meter);
  }
}
