package io.azmesh.status;

import io.azmesh.xds.EndpointCounts;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.ServingMetrics;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A bounded, in-memory record of the mesh over time for the status page's charts: per service the
 * endpoints serving and draining, and the change-to-ACK latency of the interval. A sample is taken
 * when a new snapshot is published and otherwise every {@code interval}; the oldest are dropped
 * beyond {@code capacity}. Nothing survives a restart: Prometheus keeps the long history.
 *
 * <p>Reads only {@link MeshState} and the change-to-ACK timers on the registry; thread-safe.
 */
final class MeshHistory {

  /** One sample every ten seconds without publishes. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** An hour at the default interval. */
  static final int DEFAULT_CAPACITY = 360;

  private static final double QUANTILE = 0.99;

  private final MeshState state;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Duration interval;
  private final int capacity;
  private final Deque<Sample> samples = new ArrayDeque<>();

  /** Cumulative change-to-ACK bucket counts at the last sample, by upper bound in seconds. */
  private Map<Double, Double> lastBuckets = Map.of();

  private long lastCount;
  private double lastTotalSeconds;

  MeshHistory(
      MeshState state, MeterRegistry registry, Clock clock, Duration interval, int capacity) {
    this.state = Objects.requireNonNull(state, "state");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval (" + interval + ") must be positive");
    }
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity (" + capacity + ") must be at least 2");
    }
    this.capacity = capacity;
  }

  /**
   * One point in time.
   *
   * @param snapshotVersion the published snapshot's counter, 0 before the first publish
   * @param services per service (by cluster when no instance names one), sorted by name
   * @param changeToAck the ACKs since the previous sample, null when there were none
   */
  record Sample(
      Instant at, long snapshotVersion, List<ServiceCount> services, ChangeToAck changeToAck) {
    Sample {
      Objects.requireNonNull(at, "at");
      services = List.copyOf(services);
    }
  }

  /** One service's endpoints at a sample. */
  record ServiceCount(String service, int serving, int draining, int total) {
    ServiceCount {
      Objects.requireNonNull(service, "service");
    }
  }

  /**
   * Change-to-ACK latency of the ACKs since the previous sample, every resource type together.
   *
   * @param acks how many
   * @param p99Seconds the 99th percentile, interpolated within the histogram's buckets as
   *     Prometheus' {@code histogram_quantile} does
   * @param meanSeconds their mean
   */
  record ChangeToAck(long acks, double p99Seconds, double meanSeconds) {}

  /**
   * Takes a sample now if a new snapshot was published or {@code interval} passed since the last.
   */
  synchronized void tick() {
    Sample last = samples.peekLast();
    long version = state.published().map(PublishedSnapshot::snapshotVersion).orElse(0L);
    if (last == null
        || last.snapshotVersion() != version
        || !clock.instant().isBefore(last.at().plus(interval))) {
      sample();
    }
  }

  /** Takes a sample now. */
  synchronized Sample sample() {
    Optional<PublishedSnapshot> published = state.published();
    Sample sample =
        new Sample(
            clock.instant(),
            published.map(PublishedSnapshot::snapshotVersion).orElse(0L),
            published.map(MeshHistory::counts).orElse(List.of()),
            changeToAck().orElse(null));
    samples.addLast(sample);
    if (samples.size() > capacity) {
      samples.removeFirst();
    }
    return sample;
  }

  /**
   * Per cluster, what {@link ServicesView} counts, from the counts the snapshot carries rather than
   * from its instances: a sample on every publish costs the services, not the fleet.
   */
  private static List<ServiceCount> counts(PublishedSnapshot snapshot) {
    Map<String, EndpointCounts> endpoints = snapshot.endpointCounts();
    SortedSet<String> clusters = new TreeSet<>(endpoints.keySet());
    for (Cluster cluster : snapshot.resources().clusters()) {
      clusters.add(cluster.getName());
    }
    List<ServiceCount> counts = new ArrayList<>(clusters.size());
    for (String cluster : clusters) {
      EndpointCounts c = endpoints.get(cluster);
      counts.add(
          c == null
              ? new ServiceCount(cluster, 0, 0, 0)
              : new ServiceCount(c.service(), c.serving(), c.draining(), c.total()));
    }
    // Stable: clusters of one service stay in cluster order, as in ServicesView.
    counts.sort(Comparator.comparing(ServiceCount::service));
    return counts;
  }

  /** The samples kept, oldest first. */
  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  Duration interval() {
    return interval;
  }

  int capacity() {
    return capacity;
  }

  /** The change-to-ACK histogram's growth since the last sample, all types summed. */
  private Optional<ChangeToAck> changeToAck() {
    Map<Double, Double> buckets = new TreeMap<>();
    long count = 0;
    double totalSeconds = 0;
    for (Timer timer : registry.find(ServingMetrics.CHANGE_TO_ACK).timers()) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      count += snapshot.count();
      totalSeconds += snapshot.total(TimeUnit.SECONDS);
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        buckets.merge(bucket.bucket(TimeUnit.SECONDS), bucket.count(), Double::sum);
      }
    }
    long acks = count - lastCount;
    double seconds = totalSeconds - lastTotalSeconds;
    Map<Double, Double> previous = lastBuckets;
    lastBuckets = Map.copyOf(buckets);
    lastCount = count;
    lastTotalSeconds = totalSeconds;
    if (acks <= 0) {
      return Optional.empty();
    }
    return Optional.of(new ChangeToAck(acks, quantile(buckets, previous, acks), seconds / acks));
  }

  /**
   * The {@link #QUANTILE} of the observations between two cumulative histograms, interpolated
   * linearly inside the bucket it falls in; beyond the last bound it is that bound.
   */
  private static double quantile(
      Map<Double, Double> cumulative, Map<Double, Double> previous, long observations) {
    double rank = QUANTILE * observations;
    double lowerBound = 0;
    double below = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      double upTo = bucket.getValue() - previous.getOrDefault(bucket.getKey(), 0.0);
      if (upTo >= rank) {
        double inBucket = upTo - below;
        double share = inBucket == 0 ? 1 : (rank - below) / inBucket;
        return lowerBound + (bucket.getKey() - lowerBound) * share;
      }
      lowerBound = bucket.getKey();
      below = upTo;
    }
    return lowerBound;
  }
}
