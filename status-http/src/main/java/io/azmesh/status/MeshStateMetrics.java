package io.azmesh.status;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.LoopMetrics;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import io.azmesh.xds.server.serving.ServingMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Meters read from {@link MeshState} at scrape time, so they can never disagree with {@code
 * /api/*}. Events (discovery durations and failures, publishes, rejections, open streams, ACKs,
 * NACKs, change-to-ACK latency) are counted where they happen, under the names in {@link
 * LoopMetrics} and {@link ServingMetrics}; given the same registry, {@code /metrics} serves them
 * too. No name is defined here and there.
 *
 * <p>docs/api.md lists the Prometheus names these become. Micrometer holds a meter's state object
 * weakly, so keep this binder referenced while it is bound ({@link StatusServer} does).
 */
public final class MeshStateMetrics implements MeterBinder, AutoCloseable {

  public static final String INSTANCES = "azmesh.instances";
  public static final String SNAPSHOT_VERSION = "azmesh.snapshot.version";
  public static final String LAST_SUCCESS_AGE = "azmesh.discovery.last.success.age";
  public static final String CONSECUTIVE_FAILURES = "azmesh.discovery.consecutive.failures";
  public static final String PROBLEMS = "azmesh.discovery.problems";
  public static final String HELD_REMOVALS = "azmesh.discovery.held.removals";
  public static final String NODES = "azmesh.xds.nodes";
  public static final String UNANNOUNCED_CHANGES = "azmesh.discovery.unannounced.changes";
  public static final String CHANGE_QUEUE_EVENTS = "azmesh.change.queue.events";
  public static final String CHANGE_QUEUE_UP = "azmesh.change.queue.up";
  public static final String CHANGE_QUEUE_REFRESHES = "azmesh.change.queue.refreshes";
  public static final String CHANGE_QUEUE_OLDEST_AGE = "azmesh.change.queue.oldest.message.age";

  private final MeshState state;
  private final Clock clock;
  private final List<Meter> registered = new ArrayList<>();
  private MeterRegistry registry;

  public MeshStateMetrics(MeshState state, Clock clock) {
    this.state = Objects.requireNonNull(state, "state");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void bindTo(MeterRegistry meterRegistry) {
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    if (registry != null) {
      throw new IllegalStateException("mesh state metrics are already bound to a registry");
    }
    registry = meterRegistry;
    for (InstanceStatus.State instanceState : InstanceStatus.State.values()) {
      registered.add(
          Gauge.builder(INSTANCES, this, m -> m.instancesIn(instanceState))
              .description("Instances of the published snapshot by what it does with them")
              .tag("state", Label.of(instanceState))
              .register(meterRegistry));
    }
    registered.add(
        Gauge.builder(SNAPSHOT_VERSION, this, MeshStateMetrics::snapshotVersion)
            .description("Counter of the published snapshot, +1 per publish; 0 before the first")
            .register(meterRegistry));
    registered.add(
        Gauge.builder(LAST_SUCCESS_AGE, this, MeshStateMetrics::secondsSinceSuccess)
            .description("Seconds since discovery last succeeded; NaN before the first success")
            .baseUnit("seconds")
            .register(meterRegistry));
    registered.add(
        Gauge.builder(CONSECUTIVE_FAILURES, this, m -> m.state.discovery().consecutiveFailures())
            .description("Discovery failures since the last success")
            .register(meterRegistry));
    registered.add(
        Gauge.builder(PROBLEMS, this, m -> ProblemsView.of(m.state).problems().size())
            .description("Current discovery and translation problems")
            .register(meterRegistry));
    registered.add(
        Gauge.builder(HELD_REMOVALS, this, m -> m.state.discovery().heldRemovals().size())
            .description("Mass removals held back until confirmed")
            .register(meterRegistry));
    for (NodeStatus.SyncState sync : NodeStatus.SyncState.values()) {
      registered.add(
          Gauge.builder(NODES, this, m -> m.nodesIn(sync))
              .description("Connected xDS clients by sync state")
              .tag("sync", Label.of(sync))
              .register(meterRegistry));
    }
    if (state.changeFeed().isPresent()) {
      bindChangeFeed(meterRegistry);
    }
  }

  /** Only with a change feed: without one, these series would say nothing. */
  private void bindChangeFeed(MeterRegistry meterRegistry) {
    registered.add(
        FunctionCounter.builder(
                UNANNOUNCED_CHANGES, this, m -> m.feed(ChangeFeedStatus::unannouncedChanges))
            .description("Refreshes that found a change no change-queue event had announced")
            .register(meterRegistry));
    registered.add(
        FunctionCounter.builder(
                CHANGE_QUEUE_EVENTS, this, m -> m.feed(ChangeFeedStatus::eventsRead))
            .description("Change-queue events and messages by what became of them")
            .tag("outcome", "read")
            .register(meterRegistry));
    registered.add(
        FunctionCounter.builder(
                CHANGE_QUEUE_EVENTS, this, m -> m.feed(ChangeFeedStatus::eventsIgnored))
            .description("Change-queue events and messages by what became of them")
            .tag("outcome", "ignored")
            .register(meterRegistry));
    registered.add(
        FunctionCounter.builder(
                CHANGE_QUEUE_EVENTS, this, m -> m.feed(ChangeFeedStatus::messagesRejected))
            .description("Change-queue events and messages by what became of them")
            .tag("outcome", "rejected")
            .register(meterRegistry));
    registered.add(
        FunctionCounter.builder(
                CHANGE_QUEUE_REFRESHES, this, m -> m.feed(ChangeFeedStatus::refreshesRequested))
            .description(
                "Refreshes the change queue asked for: one per burst, or per fallback poll")
            .register(meterRegistry));
    registered.add(
        Gauge.builder(
                CHANGE_QUEUE_UP,
                this,
                m -> m.feed(f -> f.state() == ChangeFeedStatus.State.READING ? 1 : 0))
            .description("1 while the change queue is read, 0 while it fails or has not answered")
            .register(meterRegistry));
    registered.add(
        Gauge.builder(
                CHANGE_QUEUE_OLDEST_AGE,
                this,
                m -> m.feed(f -> f.oldestMessageAge().map(d -> d.toMillis() / 1000.0).orElse(0.0)))
            .description("Age of the oldest change-queue message not yet deleted; 0 when none")
            .baseUnit("seconds")
            .register(meterRegistry));
  }

  private double feed(java.util.function.ToDoubleFunction<ChangeFeedStatus> read) {
    return state.changeFeed().map(read::applyAsDouble).orElse(0.0);
  }

  /** Removes the gauges again, so a stopped status server leaves no stale readings behind. */
  @Override
  public synchronized void close() {
    if (registry != null) {
      registered.forEach(registry::remove);
      registered.clear();
      registry = null;
    }
  }

  private double instancesIn(InstanceStatus.State wanted) {
    return state.published().map(PublishedSnapshot::instances).orElse(List.of()).stream()
        .filter(i -> i.state() == wanted)
        .count();
  }

  private double snapshotVersion() {
    return state.published().map(PublishedSnapshot::snapshotVersion).orElse(0L);
  }

  private double secondsSinceSuccess() {
    return state
        .discovery()
        .lastSuccess()
        .map(at -> Duration.between(at, Instant.now(clock)).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }

  private double nodesIn(NodeStatus.SyncState wanted) {
    return state.nodes().stream().filter(n -> n.sync() == wanted).count();
  }
}
