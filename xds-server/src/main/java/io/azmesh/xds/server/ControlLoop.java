package io.azmesh.xds.server;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.DiscoveryStatus.ProviderError;
import io.azmesh.xds.server.DiscoveryStatus.Rejection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the served snapshot in step with discovery: polls the provider on an interval and at once
 * on its change signal, plans drains and held removals, validates, and publishes only what changed.
 * A failing provider or an invalid translation leaves the last good snapshot in force.
 *
 * <p>Refreshes run one at a time on the loop's own thread; {@link #refreshNow()} runs one on the
 * caller's thread, for tests and for {@code meshctl} one-shots.
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  private final ControlLoopConfig config;
  private final DiscoveryProvider provider;
  private final RefreshPlanner planner;
  private final SnapshotValidator validator;
  private final SnapshotSink sink;
  private final XdsMetrics metrics;
  private final EventLog events;
  private final Clock clock;
  private final RandomGenerator random;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean changePending = new AtomicBoolean();

  private ServingState state = ServingState.EMPTY;
  private volatile Optional<PublishedSnapshot> published = Optional.empty();
  private volatile DiscoveryStatus status;
  private DiscoveryProvider.ChangeSubscription subscription =
      DiscoveryProvider.ChangeSubscription.NONE;
  private ScheduledFuture<?> nextRefresh;
  private boolean started;

  private ControlLoop(Builder builder) {
    this.config = builder.config;
    this.provider = builder.provider;
    this.planner = new RefreshPlanner(builder.config, builder.translation);
    this.validator = builder.validator;
    this.sink = builder.sink;
    this.metrics = builder.metrics;
    this.events = builder.events;
    this.clock = builder.clock;
    this.random = builder.random;
    this.status =
        new DiscoveryStatus(
            provider.name(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0,
            0,
            Optional.empty(),
            List.of(),
            Optional.empty());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "azmesh-control-loop");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts a loop.
   *
   * @param provider where instances come from; the caller keeps ownership and closes it
   * @param translation the translator with its mesh configuration
   * @param sink where snapshots are published, usually the {@link XdsServer}
   */
  public static Builder builder(
      DiscoveryProvider provider, TranslationFunction translation, SnapshotSink sink) {
    return new Builder(provider, translation, sink);
  }

  /** Subscribes to the provider's change signal and refreshes at once, then on the interval. */
  public synchronized void start() {
    started = true;
    subscription = provider.onChange(this::changed);
    schedule(Duration.ZERO);
  }

  /** The snapshot being served, if any was published. */
  public Optional<PublishedSnapshot> published() {
    return published;
  }

  /** Discovery health as of the last refresh. */
  public DiscoveryStatus discovery() {
    return status;
  }

  /**
   * Runs one refresh now, on the caller's thread. Once started, the next timed refresh is then
   * planned from this one (sooner if a drain ends first).
   */
  public synchronized RefreshOutcome refreshNow() {
    try {
      return refresh();
    } finally {
      if (started) {
        scheduleNext();
      }
    }
  }

  private RefreshOutcome refresh() {
    Instant now = clock.instant();
    Discovery discovery;
    try {
      discovery = provider.discover();
    } catch (DiscoveryException e) {
      return failed(now, e.causeLabel(), e.getMessage());
    } catch (RuntimeException e) {
      return failed(now, "error", String.valueOf(e));
    }
    // The loop sees a change once discovery answers; change-to-ACK latency starts here.
    Instant seenAt = clock.instant();
    metrics.discovered(Duration.between(now, seenAt), discovery.stats().apiCalls());
    RefreshPlan plan;
    List<String> violations;
    try {
      plan = planner.plan(state, discovery.instances(), now);
      violations = validator.validate(plan.translation().resources());
    } catch (RuntimeException e) {
      succeeded(discovery, now, List.of());
      return rejected(now, List.of("translation failed: " + e.getMessage()));
    }
    succeeded(discovery, now, plan.held());
    if (!violations.isEmpty()) {
      return rejected(now, violations);
    }
    state = plan.next();
    XdsResources resources = plan.translation().resources();
    Optional<PublishedSnapshot> current = published;
    if (current.isPresent() && current.get().resources().versions().equals(resources.versions())) {
      return RefreshOutcome.UNCHANGED;
    }
    sink.publish(resources, seenAt);
    metrics.published();
    long version = current.map(PublishedSnapshot::snapshotVersion).orElse(0L) + 1;
    published =
        Optional.of(
            new PublishedSnapshot(
                version,
                now,
                resources,
                plan.translation().instances(),
                plan.translation().problems()));
    LOG.info(
        "published snapshot {}: clusters {}, endpoints {}, listeners {}, routes {}",
        version,
        resources.versions().clusters(),
        resources.versions().endpoints(),
        resources.versions().listeners(),
        resources.versions().routes());
    return RefreshOutcome.PUBLISHED;
  }

  private RefreshOutcome failed(Instant now, String cause, String message) {
    metrics.discoveryFailed(Duration.between(now, clock.instant()), cause);
    DiscoveryStatus s = status;
    status =
        new DiscoveryStatus(
            s.provider(),
            s.lastDiscovery(),
            s.lastSuccess(),
            Optional.of(now),
            s.consecutiveFailures() + 1,
            s.totalFailures() + 1,
            Optional.of(new ProviderError(cause, message, now)),
            s.heldRemovals(),
            s.lastRejection());
    LOG.warn(
        "discovery by {} failed ({} in a row), keeping the last good snapshot: {}",
        s.provider(),
        s.consecutiveFailures() + 1,
        message);
    return RefreshOutcome.PROVIDER_FAILED;
  }

  private void succeeded(Discovery discovery, Instant now, List<DiscoveryStatus.HeldRemoval> held) {
    DiscoveryStatus s = status;
    status =
        new DiscoveryStatus(
            s.provider(),
            Optional.of(discovery),
            Optional.of(now),
            Optional.of(now),
            0,
            s.totalFailures(),
            s.lastError(),
            held,
            s.lastRejection());
    for (DiscoveryStatus.HeldRemoval removal : held) {
      LOG.warn(
          "holding removal of {} of {} instances of service {} ({} of {} confirmations)",
          removal.current() - removal.proposed(),
          removal.current(),
          removal.service(),
          removal.seen(),
          removal.required());
    }
  }

  private RefreshOutcome rejected(Instant now, List<String> violations) {
    metrics.rejected();
    DiscoveryStatus s = status;
    status =
        new DiscoveryStatus(
            s.provider(),
            s.lastDiscovery(),
            s.lastSuccess(),
            s.lastAttempt(),
            s.consecutiveFailures(),
            s.totalFailures(),
            s.lastError(),
            s.heldRemovals(),
            Optional.of(new Rejection(now, violations)));
    LOG.warn("not publishing an invalid snapshot: {}", String.join("; ", violations));
    return RefreshOutcome.REJECTED;
  }

  private void changed() {
    if (changePending.compareAndSet(false, true)) {
      try {
        executor.schedule(
            this::changeRefresh, config.changeCoalescing().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // Closed: the signal arrived after close().
        changePending.set(false);
      }
    }
  }

  private void changeRefresh() {
    changePending.set(false);
    timedRefresh();
  }

  private void timedRefresh() {
    try {
      refreshNow();
    } catch (RuntimeException e) {
      LOG.error("refresh failed unexpectedly; the last good snapshot stays", e);
    }
  }

  private synchronized void scheduleNext() {
    if (executor.isShutdown()) {
      return;
    }
    double spread = config.refreshJitter() * (2 * random.nextDouble() - 1);
    Duration delay =
        Duration.ofNanos(Math.round(config.refreshInterval().toNanos() * (1 + spread)));
    Optional<Instant> drainDeadline = state.nextDrainDeadline(config.drainPeriod());
    if (drainDeadline.isPresent()) {
      Duration untilDrained = Duration.between(clock.instant(), drainDeadline.get());
      if (untilDrained.compareTo(delay) < 0) {
        delay = untilDrained.isNegative() ? Duration.ZERO : untilDrained;
      }
    }
    schedule(delay);
  }

  private synchronized void schedule(Duration delay) {
    if (nextRefresh != null) {
      nextRefresh.cancel(false);
    }
    nextRefresh = executor.schedule(this::timedRefresh, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops refreshing; what was published stays served until the server stops. */
  @Override
  public void close() {
    synchronized (this) {
      subscription.close();
      executor.shutdownNow();
    }
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a {@link ControlLoop}. */
  public static final class Builder {
    private final DiscoveryProvider provider;
    private final TranslationFunction translation;
    private final SnapshotSink sink;
    private ControlLoopConfig config = ControlLoopConfig.defaults();
    private SnapshotValidator validator = SnapshotValidator.envoyRules();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new Random();
    private XdsMetrics metrics = XdsMetrics.none();
    private EventLog events;

    private Builder(
        DiscoveryProvider provider, TranslationFunction translation, SnapshotSink sink) {
      this.provider = Objects.requireNonNull(provider, "provider");
      this.translation = Objects.requireNonNull(translation, "translation");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    public Builder config(ControlLoopConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    public Builder validator(SnapshotValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of refresh jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Where discovery durations and failures, API calls, publishes and rejections are counted
     * (names in {@link XdsMetrics}); by default nowhere.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      return metrics(XdsMetrics.on(registry));
    }

    Builder metrics(XdsMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** Where the loop records what it changes and why; by default a log of its own. */
    public Builder events(EventLog events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Builds the loop; call {@link ControlLoop#start()} to run it. */
    public ControlLoop build() {
      if (events == null) {
        events = new EventLog(clock, EventLog.DEFAULT_CAPACITY);
      }
      return new ControlLoop(this);
    }
  }
}
