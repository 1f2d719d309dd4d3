package io.azmesh.xds.server.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The xDS server's event meters: the one place their names are defined. The control loop's are in
 * {@code LoopMetrics}; what can be read from the mesh state at any time (instances by state, nodes
 * by sync state) is status-http's {@code MeshStateMetrics}, which must not reuse these names.
 *
 * <p>docs/api.md lists the Prometheus names these become ({@code azmesh.xds.acks} is {@code
 * azmesh_xds_acks_total}).
 */
public final class ServingMetrics {
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

  private final MeterRegistry registry;
  private final Counter unknownType;

  private ServingMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.unknownType =
        Counter.builder(UNKNOWN_TYPE_REQUESTS)
            .description("Requests for a resource type this server does not serve")
            .register(registry);
    for (String type : TYPES) {
      sent(type);
      acks(type);
      nacks(type);
      changeToAck(type);
    }
  }

  /** Records on this registry. */
  public static ServingMetrics on(MeterRegistry registry) {
    return new ServingMetrics(registry);
  }

  /** Records nothing: for library users who do not collect metrics. */
  public static ServingMetrics none() {
    // An empty composite hands out no-op meters.
    return new ServingMetrics(new CompositeMeterRegistry());
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
