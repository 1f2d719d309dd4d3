package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.XdsVersions;
import io.azmesh.xds.server.loop.DiscoveryStatus.ProviderError;
import io.azmesh.xds.server.loop.DiscoveryStatus.Rejection;
import io.azmesh.xds.server.serving.SnapshotSink;
import io.azmesh.xds.translator.Translation;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
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
 * on its change signal, plans drains, held removals and kept empty services, validates, and
 * publishes only what changed. A failing provider or an invalid translation leaves the last good
 * snapshot in force; failures back off, and drains end on time from the last good discovery without
 * asking the provider again. What changed is recorded in the {@link EventLog}; with a state
 * directory, it all survives a restart.
 *
 * <p>Refreshes run one at a time on the loop's own thread; {@link #refreshNow()} runs one on the
 * caller's thread, for tests and for {@code meshctl} one-shots.
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  private final ControlLoopConfig config;
  private final DiscoveryProvider provider;
  // Replaced by a fresh one when a full recompute finds the incremental result wrong.
  private RefreshPlanner planner;
  private final SnapshotValidator validator;
  private final SnapshotSink sink;
  private final LoopMetrics metrics;
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
  private final FailureReports failures = new FailureReports();
  private final Optional<StateFile> stateFile;
  private Optional<StateWriter> stateWriter = Optional.empty();
  private ScheduledFuture<?> nextRefresh;
  private ScheduledFuture<?> nextDrain;
  private int rejectionsInARow;
  private long drifts;
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
    this.stateFile = builder.stateDirectory.map(StateFile::new);
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
    stateFile.ifPresent(
        file -> {
          StateWriter.Key restored = restore(file);
          stateWriter = Optional.of(new StateWriter(file, clock, restored));
        });
  }

  /**
   * Puts back the state saved before a restart and serves its snapshot at once (fail-static across
   * restarts); the first discovery is then planned, drained and guarded against it. An unreadable
   * file is one warning and a fresh start. Returns what the file holds, so the same is not written
   * again.
   */
  private StateWriter.Key restore(StateFile file) {
    Optional<StateFile.Saved> read;
    try {
      read = file.read();
    } catch (StateFile.UnreadableStateException e) {
      LOG.warn("{}; starting without saved state", e.getMessage());
      return null;
    }
    if (read.isEmpty()) {
      return null;
    }
    StateFile.Saved restored = read.get();
    try {
      events.restore(restored.events());
    } catch (IllegalStateException e) {
      LOG.warn("the event history in {} is not restored: {}", file.path(), e.getMessage());
    }
    state = restored.serving();
    Translation view = planner.view(state);
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            restored.snapshotVersion(),
            restored.publishedAt(),
            restored.resources(),
            view.instances(),
            view.problems());
    published = Optional.of(snapshot);
    sink.publish(restored.resources(), clock.instant());
    StateWriter.Key saved = keyOf(snapshot);
    events.record(
        MeshEvent.Kind.SNAPSHOT_PUBLISHED,
        "snapshot " + snapshot.snapshotVersion(),
        Optional.empty(),
        "restored from " + file.path() + "; " + describe(snapshot, state));
    return saved;
  }

  private StateWriter.Key keyOf(PublishedSnapshot snapshot) {
    return new StateWriter.Key(state, snapshot.snapshotVersion(), events.lastSequence());
  }

  /**
   * Hands the state to the state file's writer, which writes it off this thread if anything changed
   * since its last write; a failure there is a warning.
   */
  private void save() {
    if (stateWriter.isEmpty() || published.isEmpty()) {
      return;
    }
    PublishedSnapshot snapshot = published.get();
    stateWriter
        .get()
        .submit(
            keyOf(snapshot),
            new StateFile.Saved(
                snapshot.snapshotVersion(),
                snapshot.publishedAt(),
                snapshot.resources(),
                state,
                events.since(0)));
  }

  /**
   * Starts a loop.
   *
   * @param provider where instances come from; the caller keeps ownership and closes it
   * @param translation the translator with its mesh configuration
   * @param sink where snapshots are published, usually the xDS server
   */
  public static Builder builder(
      DiscoveryProvider provider, TranslationFunction translation, SnapshotSink sink) {
    return new Builder(provider, translation, sink);
  }

  /** Subscribes to the provider's change signal and refreshes at once, then on the interval. */
  public synchronized void start() {
    started = true;
    subscription = provider.onChange(this::changed);
    nextRefresh = executor.schedule(this::timedRefresh, 0, TimeUnit.NANOSECONDS);
    long every = config.fullRecomputeInterval().toNanos();
    if (every > 0) {
      executor.scheduleWithFixedDelay(this::timedVerify, every, every, TimeUnit.NANOSECONDS);
    }
  }

  /** The snapshot being served, if any was published. */
  public Optional<PublishedSnapshot> published() {
    return published;
  }

  /** What the loop remembers between refreshes; for tests comparing it with a recompute. */
  synchronized ServingState servingState() {
    return state;
  }

  /** Discovery health as of the last refresh. */
  public DiscoveryStatus discovery() {
    return status;
  }

  /**
   * Runs one refresh now, on the caller's thread. Once started, the next discovery is then planned
   * from this one: on the interval, or backing off after a failure.
   */
  public synchronized RefreshOutcome refreshNow() {
    // A refresh that throws is retried like a failed one: the schedule must outlive it.
    RefreshOutcome outcome = RefreshOutcome.PROVIDER_FAILED;
    try {
      outcome = refresh();
      save();
      return outcome;
    } finally {
      if (started) {
        scheduleDrainWakeUp();
        scheduleDiscovery(outcome);
      }
    }
  }

  /**
   * Applies what is due (drains ending) from the last good discovery, without asking the provider;
   * {@link RefreshOutcome#UNCHANGED} when nothing was discovered yet.
   */
  synchronized RefreshOutcome replanNow() {
    try {
      Optional<Discovery> last = status.lastDiscovery();
      if (last.isEmpty()) {
        return RefreshOutcome.UNCHANGED;
      }
      Instant now = clock.instant();
      RefreshOutcome outcome = apply(last.get(), now, now, RefreshPlanner.Source.LAST_DISCOVERY);
      save();
      return outcome;
    } finally {
      if (started) {
        scheduleDrainWakeUp();
      }
    }
  }

  /**
   * Plans again from the last good discovery twice, as the loop does (incrementally) and with a
   * fresh translation that remembers nothing, and compares. A difference is a defect of the
   * incremental path: one warning names the first differing resource, {@link
   * LoopMetrics#INCREMENTAL_DRIFT} counts it, and the full result is served, the fresh translation
   * replacing the one that drifted. Returns whether the two differed.
   */
  synchronized boolean verifyNow() {
    Optional<Discovery> last = status.lastDiscovery();
    if (last.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    List<Instance> instances = last.get().instances();
    RefreshPlanner full = planner.fresh();
    RefreshPlanner.Source source = RefreshPlanner.Source.LAST_DISCOVERY;
    Optional<String> difference =
        PlanDifference.between(
            planner.plan(state, instances, now, source), full.plan(state, instances, now, source));
    if (difference.isEmpty()) {
      return false;
    }
    drifts++;
    metrics.drifted();
    LOG.warn(
        "the incremental result differs from a full recompute ({} since start): {}; serving the"
            + " full result",
        drifts,
        difference.get());
    planner = full;
    try {
      apply(last.get(), now, now, source);
      save();
    } finally {
      if (started) {
        scheduleDrainWakeUp();
      }
    }
    return true;
  }

  private void timedVerify() {
    try {
      verifyNow();
    } catch (RuntimeException e) {
      LOG.error("checking against a full recompute failed unexpectedly", e);
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
    metrics.discovered(Duration.between(now, seenAt), discovery.stats());
    recovered(now);
    return apply(discovery, now, seenAt, RefreshPlanner.Source.NEW_DISCOVERY);
  }

  private RefreshOutcome apply(
      Discovery discovery, Instant now, Instant seenAt, RefreshPlanner.Source source) {
    RefreshPlan plan;
    List<String> violations;
    try {
      plan = planner.plan(state, discovery.instances(), now, source);
      violations = validator.validate(plan.translation().resources());
    } catch (RuntimeException e) {
      succeeded(discovery, now, status.heldRemovals(), source);
      return rejected(now, List.of("translation failed: " + e.getMessage()));
    }
    succeeded(discovery, now, plan.held(), source);
    if (!violations.isEmpty()) {
      return rejected(now, violations);
    }
    rejectionsInARow = 0;
    ServingState before = state;
    state = plan.next();
    for (ServingChanges.Change change :
        ServingChanges.between(before, state, discovery.instances(), plan.held(), config, now)) {
      events.record(change.kind(), change.subject(), change.service(), change.reason());
    }
    XdsResources resources = plan.translation().resources();
    Optional<PublishedSnapshot> current = published;
    if (current.isPresent() && current.get().resources().versions().equals(resources.versions())) {
      // Same resources: the view still follows the latest discovery, the counter does not move.
      PublishedSnapshot served = current.get();
      published =
          Optional.of(
              new PublishedSnapshot(
                  served.snapshotVersion(),
                  served.publishedAt(),
                  served.resources(),
                  plan.translation().instances(),
                  plan.translation().problems()));
      return RefreshOutcome.UNCHANGED;
    }
    sink.publish(resources, seenAt);
    metrics.published();
    long version = current.map(PublishedSnapshot::snapshotVersion).orElse(0L) + 1;
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            version, now, resources, plan.translation().instances(), plan.translation().problems());
    published = Optional.of(snapshot);
    events.record(
        MeshEvent.Kind.SNAPSHOT_PUBLISHED,
        "snapshot " + version,
        Optional.empty(),
        describe(snapshot, state));
    return RefreshOutcome.PUBLISHED;
  }

  private static String describe(PublishedSnapshot snapshot, ServingState state) {
    int serving = state.serving().size();
    int draining = state.draining().size();
    XdsVersions v = snapshot.resources().versions();
    return snapshot.resources().clusters().size()
        + " services, "
        + serving
        + " serving and "
        + draining
        + " draining endpoints; versions clusters "
        + v.clusters()
        + ", endpoints "
        + v.endpoints()
        + ", listeners "
        + v.listeners()
        + ", routes "
        + v.routes();
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
    failures
        .failed(cause, message, now)
        .ifPresent(
            reason ->
                events.record(
                    MeshEvent.Kind.DISCOVERY_FAILED, s.provider(), Optional.empty(), reason));
    return RefreshOutcome.PROVIDER_FAILED;
  }

  private void recovered(Instant now) {
    DiscoveryStatus s = status;
    if (s.consecutiveFailures() > 0) {
      ProviderError last = s.lastError().orElseThrow();
      events.record(
          MeshEvent.Kind.DISCOVERY_RECOVERED,
          s.provider(),
          Optional.empty(),
          "after "
              + s.consecutiveFailures()
              + " failures since "
              + failures.since().orElse(last.at())
              + "; last: "
              + last.cause()
              + ": "
              + last.message());
      failures.reset();
    }
  }

  private void succeeded(
      Discovery discovery,
      Instant now,
      List<DiscoveryStatus.HeldRemoval> held,
      RefreshPlanner.Source source) {
    DiscoveryStatus s = status;
    if (source == RefreshPlanner.Source.LAST_DISCOVERY) {
      // Planned again from the last discovery: discovery itself did not run.
      status = s.withHeldRemovals(held);
      return;
    }
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
  }

  private RefreshOutcome rejected(Instant now, List<String> violations) {
    metrics.rejected();
    rejectionsInARow++;
    DiscoveryStatus s = status;
    Optional<Rejection> previous = s.lastRejection();
    status = s.withRejection(new Rejection(now, violations));
    // The same violations again say nothing new; a changed set does.
    if (rejectionsInARow == 1
        || previous.isEmpty()
        || !previous.get().violations().equals(violations)) {
      events.record(
          MeshEvent.Kind.SNAPSHOT_REJECTED,
          s.provider(),
          Optional.empty(),
          "not published, the last good snapshot stays: " + String.join("; ", violations));
    }
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
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: a broken classpath fails every refresh, and must say so, not stop quietly.
      LOG.error("refresh failed unexpectedly; the last good snapshot stays", e);
    }
  }

  private void drainWakeUp() {
    try {
      replanNow();
    } catch (RuntimeException e) {
      LOG.error("applying due drains failed unexpectedly; the last good snapshot stays", e);
    }
  }

  /**
   * The next discovery: on the interval after a success, backing off after failures. A failing
   * provider is asked less and less often, never more than once per interval at the cap.
   */
  private synchronized void scheduleDiscovery(RefreshOutcome outcome) {
    if (executor.isShutdown()) {
      return;
    }
    Duration delay;
    if (outcome == RefreshOutcome.PROVIDER_FAILED) {
      delay = config.backoff(status.consecutiveFailures(), random.nextDouble());
    } else {
      double spread = config.refreshJitter() * (2 * random.nextDouble() - 1);
      delay = Duration.ofNanos(Math.round(config.refreshInterval().toNanos() * (1 + spread)));
    }
    if (nextRefresh != null) {
      nextRefresh.cancel(false);
    }
    nextRefresh = executor.schedule(this::timedRefresh, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Wakes up when the next drain ends, to apply it from the last good discovery: drains end on time
   * whatever the provider does, and a failing provider is not asked again for them. After a
   * rejected snapshot the wake-up backs off like a failed discovery.
   */
  private synchronized void scheduleDrainWakeUp() {
    if (executor.isShutdown()) {
      return;
    }
    if (nextDrain != null) {
      nextDrain.cancel(false);
      nextDrain = null;
    }
    Optional<Instant> deadline = state.nextDrainDeadline(config.drainPeriod());
    if (deadline.isEmpty()) {
      return;
    }
    Duration delay = Duration.between(clock.instant(), deadline.get());
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    if (rejectionsInARow > 0) {
      Duration backoff = config.backoff(rejectionsInARow, random.nextDouble());
      delay = delay.compareTo(backoff) < 0 ? backoff : delay;
    }
    nextDrain = executor.schedule(this::drainWakeUp, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops refreshing; what was published stays served until the server stops. */
  @Override
  public void close() {
    synchronized (this) {
      subscription.close();
      executor.shutdownNow();
      save();
    }
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stateWriter.ifPresent(StateWriter::close);
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
    private LoopMetrics metrics = LoopMetrics.none();
    private EventLog events;
    private Optional<Path> stateDirectory = Optional.empty();

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
     * (names in {@link LoopMetrics}); by default nowhere.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.metrics = LoopMetrics.on(registry);
      return this;
    }

    /** Where the loop records what it changes and why; by default a log of its own. */
    public Builder events(EventLog events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * Where the loop keeps its state across restarts ({@value StateFile#FILE_NAME}). On build, the
     * state saved there is restored and its snapshot published to the sink at once; every refresh
     * that changes something saves it again, off the loop's thread and at most once a second, and
     * {@link ControlLoop#close()} saves the last state. By default nothing is kept.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = Optional.of(Objects.requireNonNull(directory, "directory"));
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
