package io.azmesh.xds.server.loop;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryStats;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
 * caller's thread, for tests and for {@code meshctl} one-shots. {@link #reconfigure} swaps the
 * translation (a reloaded mesh configuration) on the loop's thread, between refreshes.
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
  // What the state is saved for; a reload with a new mesh configuration changes it.
  private volatile String configuration;
  private Optional<StateLock> stateLock = Optional.empty();
  private Optional<StateWriter> stateWriter = Optional.empty();
  // The instances of a restored snapshot, planned against until the first discovery, so drains
  // restored with it end on time even while the provider fails.
  private Optional<Discovery> restoredWorld = Optional.empty();
  private ScheduledFuture<?> nextRefresh;
  private ScheduledFuture<?> nextDrain;
  private int rejectionsInARow;
  private Optional<ChangeFeedStatus.State> changeFeedState = Optional.empty();
  private long drifts;
  private Optional<RefreshPlan.Work> lastWork = Optional.empty();
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
    this.configuration =
        builder.configuration != null ? builder.configuration : "provider " + provider.name();
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
    if (stateFile.isPresent()) {
      StateFile file = stateFile.get();
      // First the lock: nothing is read or written in a directory another process serves from.
      StateLock lock = StateLock.acquire(builder.stateDirectory.get(), clock.instant());
      stateLock = Optional.of(lock);
      try {
        file.removeLeftovers();
        StateWriter.Key restored = restore(file);
        stateWriter = Optional.of(new StateWriter(file, clock, restored));
      } catch (RuntimeException e) {
        lock.close();
        executor.shutdownNow();
        throw e;
      }
    }
  }

  /**
   * Puts back the state saved before a restart and serves its snapshot at once (fail-static across
   * restarts); the first discovery is then planned, drained and guarded against it. Only a state of
   * this configuration, younger than {@link ControlLoopConfig#stateMaxAge()}, whose resources pass
   * validation, is served; otherwise, or when the file is unreadable, one warning and a fresh
   * start. Returns what the file holds, so the same is not written again.
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
    if (!restored.skipped().isEmpty()) {
      LOG.warn(
          "state file {}: {} entries this version cannot read are skipped: {}",
          file.path(),
          restored.skipped().size(),
          String.join("; ", restored.skipped()));
    }
    if (!restored.configuration().equals(configuration)) {
      LOG.warn(
          "state file {} was saved for another configuration and is not served; saved for: {};"
              + " this one: {}; starting without saved state",
          file.path(),
          restored.configuration(),
          configuration);
      return null;
    }
    try {
      events.restore(restored.events());
    } catch (IllegalStateException e) {
      LOG.warn("the event history in {} is not restored: {}", file.path(), e.getMessage());
    }
    Duration age = Duration.between(restored.savedAt(), clock.instant());
    if (age.compareTo(config.stateMaxAge()) > 0) {
      LOG.warn(
          "state file {} was saved at {}, {} ago, longer than the state's maximum age {}; its"
              + " snapshot is not served, the first discovery is",
          file.path(),
          restored.savedAt(),
          age,
          config.stateMaxAge());
      return null;
    }
    List<String> violations = validator.validate(restored.resources());
    if (!violations.isEmpty()) {
      LOG.warn(
          "state file {} holds a snapshot that does not pass validation and is not served: {}",
          file.path(),
          String.join("; ", violations));
      return null;
    }
    state = restored.serving();
    Translation view = planner.view(state);
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            restored.snapshotVersion(),
            restored.publishedAt(),
            restored.resources(),
            view.instances(),
            view.problems(),
            PublishedSnapshot.Origin.RESTORED,
            view.endpointCounts());
    published = Optional.of(snapshot);
    restoredWorld = Optional.of(restoredDiscovery(state, restored.savedAt()));
    sink.publish(restored.resources(), clock.instant());
    StateWriter.Key saved = keyOf(snapshot);
    events.record(
        MeshEvent.Kind.SNAPSHOT_PUBLISHED,
        "snapshot " + snapshot.snapshotVersion(),
        Optional.empty(),
        "restored from " + file.path() + "; " + describe(snapshot, state));
    return saved;
  }

  /** The instances a restored state serves or drains, as if a discovery had found them. */
  private Discovery restoredDiscovery(ServingState restored, Instant savedAt) {
    Map<String, Instance> byId = new TreeMap<>();
    restored.serving().values().forEach(i -> byId.putIfAbsent(i.id(), i));
    List<Instance> unique = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Instance instance : byId.values()) {
      if (names.add(instance.name())) {
        unique.add(instance);
      }
    }
    return new Discovery(
        unique, List.of(), savedAt, new DiscoveryStats(provider.name(), 0, Duration.ZERO));
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
                configuration,
                clock.instant(),
                snapshot.snapshotVersion(),
                snapshot.publishedAt(),
                snapshot.resources(),
                state,
                events.since(0),
                List.of()));
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

  /** What the last plan looked at; for tests holding the loop's work to the size of a change. */
  synchronized Optional<RefreshPlan.Work> lastWork() {
    return lastWork;
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
   * Applies what is due (drains ending) from the last good discovery, without asking the provider,
   * or before the first one from the restored state's instances; {@link RefreshOutcome#UNCHANGED}
   * when there is neither.
   */
  synchronized RefreshOutcome replanNow() {
    try {
      Optional<Discovery> last = status.lastDiscovery().or(() -> restoredWorld);
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
      noteChangeFeed();
      return failed(now, e.causeLabel(), e.getMessage());
    } catch (RuntimeException e) {
      noteChangeFeed();
      return failed(now, "error", String.valueOf(e));
    }
    // The loop sees a change once discovery answers; change-to-ACK latency starts here.
    Instant seenAt = clock.instant();
    metrics.discovered(Duration.between(now, seenAt), discovery.stats());
    metrics.scopes(discovery.scopes());
    recovered(now);
    RefreshOutcome outcome = apply(discovery, now, seenAt, RefreshPlanner.Source.NEW_DISCOVERY);
    if (outcome != RefreshOutcome.REJECTED) {
      // A change queue deletes the messages this refresh answered only now.
      provider.applied(discovery);
    }
    noteChangeFeed();
    return outcome;
  }

  /** The provider's change feed, if it reads one. */
  public Optional<ChangeFeedStatus> changeFeed() {
    return provider.changeFeed();
  }

  /** Records when the provider's change feed starts or stops failing. */
  private void noteChangeFeed() {
    Optional<ChangeFeedStatus> feed = provider.changeFeed();
    if (feed.isEmpty() || feed.get().state() == ChangeFeedStatus.State.STARTING) {
      return;
    }
    ChangeFeedStatus f = feed.get();
    if (changeFeedState.equals(Optional.of(f.state()))) {
      return;
    }
    if (f.state() == ChangeFeedStatus.State.FAILING) {
      events.record(
          MeshEvent.Kind.CHANGE_FEED_FAILING,
          f.source(),
          Optional.empty(),
          f.cause().orElse("failing") + "; discovery polls at the shorter interval meanwhile");
    } else {
      events.record(
          MeshEvent.Kind.CHANGE_FEED_READING,
          f.source(),
          Optional.empty(),
          changeFeedState.isPresent() ? "answers again since " + f.since() : "reading");
    }
    changeFeedState = Optional.of(f.state());
  }

  private RefreshOutcome apply(
      Discovery discovery, Instant now, Instant seenAt, RefreshPlanner.Source source) {
    RefreshPlan plan;
    List<String> violations;
    try {
      plan = planner.plan(state, discovery.instances(), discovery.changes(), now, source);
      lastWork = Optional.of(plan.work());
      violations = validator.validate(plan.translation().resources());
    } catch (RuntimeException e) {
      succeeded(discovery, now, status.heldRemovals(), source);
      return rejected(now, List.of("translation failed: " + e.getMessage()));
    }
    succeeded(discovery, now, plan.held(), source);
    if (!violations.isEmpty()) {
      return rejected(now, violations);
    }
    return commit(discovery, plan, now, seenAt, source);
  }

  /** Serves a validated plan: its serving state, its events, and its snapshot if that changed. */
  private RefreshOutcome commit(
      Discovery discovery,
      RefreshPlan plan,
      Instant now,
      Instant seenAt,
      RefreshPlanner.Source source) {
    rejectionsInARow = 0;
    ServingState before = state;
    state = plan.next();
    planner.committed(plan);
    for (ServingChanges.Change change :
        ServingChanges.between(
            before, state, discovery.instances(), plan.held(), plan.services(), config, now)) {
      events.record(change.kind(), change.subject(), change.service(), change.reason());
    }
    XdsResources resources = plan.translation().resources();
    Optional<PublishedSnapshot> current = published;
    // Only a new discovery confirms a restored world; planning again from it does not.
    PublishedSnapshot.Origin origin =
        source == RefreshPlanner.Source.NEW_DISCOVERY
            ? PublishedSnapshot.Origin.DISCOVERED
            : current.map(PublishedSnapshot::origin).orElse(PublishedSnapshot.Origin.DISCOVERED);
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
                  plan.translation().problems(),
                  origin,
                  plan.translation().endpointCounts()));
      return RefreshOutcome.UNCHANGED;
    }
    sink.publish(resources, seenAt);
    metrics.published();
    long version = current.map(PublishedSnapshot::snapshotVersion).orElse(0L) + 1;
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            version,
            now,
            resources,
            plan.translation().instances(),
            plan.translation().problems(),
            origin,
            plan.translation().endpointCounts());
    published = Optional.of(snapshot);
    events.record(
        MeshEvent.Kind.SNAPSHOT_PUBLISHED,
        "snapshot " + version,
        Optional.empty(),
        describe(snapshot, state));
    return RefreshOutcome.PUBLISHED;
  }

  /**
   * Translates with {@code translation} from now on: a reloaded mesh configuration. On the loop's
   * own thread, between refreshes, it plans the last good discovery again with it, validates, and
   * publishes what changed at once. A translation that throws or whose snapshot fails validation is
   * not taken: the previous one keeps serving, and the result says why. Before the first discovery
   * it is only validated against the state held, and used from that discovery on.
   */
  public CompletableFuture<Reconfiguration> reconfigure(TranslationFunction translation) {
    return reconfigure(translation, Optional.empty());
  }

  /**
   * As {@link #reconfigure(TranslationFunction)}, and once the translation is taken the state is
   * saved for {@code configuration} (see {@link Builder#configuration}): a restart on the reloaded
   * configuration then serves it.
   */
  public CompletableFuture<Reconfiguration> reconfigure(
      TranslationFunction translation, String configuration) {
    return reconfigure(translation, Optional.of(configuration));
  }

  private CompletableFuture<Reconfiguration> reconfigure(
      TranslationFunction translation, Optional<String> configuration) {
    Objects.requireNonNull(translation, "translation");
    Objects.requireNonNull(configuration, "configuration");
    try {
      return CompletableFuture.supplyAsync(
          () -> reconfigureNow(translation, configuration), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the control loop is closed", e));
    }
  }

  private synchronized Reconfiguration reconfigureNow(
      TranslationFunction translation, Optional<String> newConfiguration) {
    RefreshPlanner candidate = new RefreshPlanner(config, translation);
    Optional<XdsResources> served = published.map(PublishedSnapshot::resources);
    Optional<Discovery> last = status.lastDiscovery();
    Instant now = clock.instant();
    RefreshPlan plan = null;
    Translation translated;
    List<String> violations;
    try {
      if (last.isPresent()) {
        plan =
            candidate.plan(
                state, last.get().instances(), now, RefreshPlanner.Source.LAST_DISCOVERY);
        translated = plan.translation();
      } else {
        translated = candidate.view(state);
      }
      violations = validator.validate(translated.resources());
    } catch (RuntimeException e) {
      return new Reconfiguration(
          Reconfiguration.Outcome.REJECTED,
          ResourceChanges.NONE,
          List.of("translation failed: " + e.getMessage()),
          snapshotVersion());
    }
    if (!violations.isEmpty()) {
      return new Reconfiguration(
          Reconfiguration.Outcome.REJECTED, ResourceChanges.NONE, violations, snapshotVersion());
    }
    planner = candidate;
    newConfiguration.ifPresent(c -> configuration = c);
    ResourceChanges changes =
        served
            .map(before -> ResourceChanges.between(before, translated.resources()))
            .orElseGet(() -> ResourceChanges.all(translated.resources()));
    if (plan == null) {
      return new Reconfiguration(
          Reconfiguration.Outcome.AWAITING_DISCOVERY, changes, List.of(), snapshotVersion());
    }
    status = status.withHeldRemovals(plan.held());
    RefreshOutcome outcome;
    try {
      // Planned again from the last discovery: a restored world stays restored.
      outcome = commit(last.get(), plan, now, now, RefreshPlanner.Source.LAST_DISCOVERY);
      save();
    } finally {
      if (started) {
        scheduleDrainWakeUp();
      }
    }
    return new Reconfiguration(
        outcome == RefreshOutcome.PUBLISHED
            ? Reconfiguration.Outcome.PUBLISHED
            : Reconfiguration.Outcome.UNCHANGED,
        changes,
        List.of(),
        snapshotVersion());
  }

  private long snapshotVersion() {
    return published.map(PublishedSnapshot::snapshotVersion).orElse(0L);
  }

  private static String describe(PublishedSnapshot snapshot, ServingState state) {
    int serving = state.servingCount();
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
    // Last: the next holder finds everything written.
    stateLock.ifPresent(StateLock::close);
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
    private String configuration;

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
     * {@link ControlLoop#close()} saves the last state. The directory is locked while the loop
     * runs: a second loop on it fails to build, naming the holder. By default nothing is kept.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = Optional.of(Objects.requireNonNull(directory, "directory"));
      return this;
    }

    /**
     * What the loop discovers from, as one line: the provider, its scopes and filters, the
     * inventory file, the mesh configuration. Saved with the state; a saved state of another
     * configuration is not served. By default the provider's name.
     */
    public Builder configuration(String fingerprint) {
      this.configuration = Objects.requireNonNull(fingerprint, "fingerprint");
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
