package io.azmesh.xds.server;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.ControlLoop;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.LoopMetrics;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.loop.Reconfiguration;
import io.azmesh.xds.server.loop.SnapshotValidator;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.NodeStatus;
import io.azmesh.xds.server.serving.ServingMetrics;
import io.azmesh.xds.server.serving.SnapshotSink;
import io.azmesh.xds.server.serving.XdsServer;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running control plane: the xDS server ({@code serving}) and the control loop that feeds it
 * ({@code loop}), seen from outside through {@link MeshState}. This is where the two are wired: the
 * loop publishes to the server, and the server's proxy events go to the loop's event log.
 */
public final class ControlPlane implements MeshState, AutoCloseable {
  private final XdsServer server;
  private final ControlLoop loop;
  private final EventLog events;
  // Why the newest mesh configuration is not serving; cleared by one that serves.
  private volatile Optional<Problem> configProblem = Optional.empty();

  private ControlPlane(XdsServer server, ControlLoop loop, EventLog events) {
    this.server = server;
    this.loop = loop;
    this.events = events;
  }

  /**
   * Starts building the production control plane: azmesh's translator with this mesh configuration,
   * validated by Envoy's and grpc-java's rules before every publish.
   *
   * @param provider where instances come from; the caller keeps ownership and closes it
   */
  public static Builder builder(DiscoveryProvider provider, MeshConfig config) {
    return new Builder(provider, TranslationFunction.of(config));
  }

  /**
   * Starts building a control plane with another translation (tests, experiments); it is still
   * validated by Envoy's and grpc-java's rules unless {@link Builder#validator} says otherwise.
   *
   * @param provider where instances come from; the caller keeps ownership and closes it
   * @param translation the translation to serve
   */
  public static Builder builder(DiscoveryProvider provider, TranslationFunction translation) {
    return new Builder(provider, translation);
  }

  /** The port the xDS server is bound to. */
  public int port() {
    return server.port();
  }

  /** The xDS server, for status and tests. */
  XdsServer server() {
    return server;
  }

  /** The control loop, for one-shot refreshes. */
  public ControlLoop loop() {
    return loop;
  }

  /**
   * The snapshot being served; its problems end with the one of a mesh configuration that was
   * refused, if any, so every reader of problems shows it.
   */
  @Override
  public Optional<PublishedSnapshot> published() {
    Optional<PublishedSnapshot> published = loop.published();
    Optional<Problem> refused = configProblem;
    if (published.isEmpty() || refused.isEmpty()) {
      return published;
    }
    List<Problem> problems = new ArrayList<>(published.get().problems());
    problems.add(refused.get());
    return Optional.of(published.get().withProblems(problems));
  }

  /**
   * Serves {@code config} from now on, without a restart: the loop translates the last good
   * discovery with it at once, on its own thread, and publishes what changed. Records {@code
   * config-reloaded} with the resources that changed, or, when its snapshot fails validation, keeps
   * the configuration serving before, records {@code config-rejected} and shows the violations as a
   * problem until a configuration serves again.
   *
   * @param source names the configuration in events and problems, e.g. its file
   */
  public CompletableFuture<Reconfiguration> reconfigure(String source, MeshConfig config) {
    return reconfigured(source, loop.reconfigure(TranslationFunction.of(config)));
  }

  /**
   * As {@link #reconfigure(String, MeshConfig)}, and the saved state is bound to {@code
   * stateConfiguration} from then on (see {@link ControlLoop.Builder#configuration}), so a restart
   * on the reloaded configuration serves it.
   */
  public CompletableFuture<Reconfiguration> reconfigure(
      String source, MeshConfig config, String stateConfiguration) {
    return reconfigured(
        source, loop.reconfigure(TranslationFunction.of(config), stateConfiguration));
  }

  private CompletableFuture<Reconfiguration> reconfigured(
      String source, CompletableFuture<Reconfiguration> reconfiguration) {
    Objects.requireNonNull(source, "source");
    return reconfiguration.thenApply(
        result -> {
          if (result.outcome() == Reconfiguration.Outcome.REJECTED) {
            refused(source, String.join("; ", result.violations()));
          } else {
            // The event first: whoever sees the problem gone finds the event that cleared it.
            events.record(
                MeshEvent.Kind.CONFIG_RELOADED, source, Optional.empty(), reloaded(result));
            configProblem = Optional.empty();
          }
          return result;
        });
  }

  /**
   * A mesh configuration from {@code source} that cannot be used (it does not parse): the one
   * serving stays. Records {@code config-rejected} and shows {@code reason} as a problem until a
   * configuration serves again ({@link #reconfigure}).
   *
   * @param reason what is wrong, naming the line and the value
   */
  public void configurationRejected(String source, String reason) {
    refused(Objects.requireNonNull(source, "source"), Objects.requireNonNull(reason, "reason"));
  }

  private void refused(String source, String reason) {
    events.record(
        MeshEvent.Kind.CONFIG_REJECTED,
        source,
        Optional.empty(),
        "not applied, the configuration read before keeps serving: " + reason);
    configProblem =
        Optional.of(
            Problem.of(
                source,
                "mesh configuration",
                reason,
                "not applied; the configuration read before keeps serving"));
  }

  private static String reloaded(Reconfiguration result) {
    String changes = result.changes().describe();
    return switch (result.outcome()) {
      case PUBLISHED -> changes + "; published snapshot " + result.snapshotVersion();
      case UNCHANGED -> changes;
      case AWAITING_DISCOVERY -> changes + "; applies from the first discovery";
      case REJECTED -> throw new IllegalArgumentException("a rejected configuration is no reload");
    };
  }

  @Override
  public DiscoveryStatus discovery() {
    return loop.discovery();
  }

  @Override
  public Optional<ChangeFeedStatus> changeFeed() {
    return loop.changeFeed();
  }

  @Override
  public List<NodeStatus> nodes() {
    return server.nodes();
  }

  @Override
  public List<MeshEvent> events(long afterSequence) {
    return events.since(afterSequence);
  }

  /** Stops refreshing, then stops the server gracefully. */
  @Override
  public void close() {
    loop.close();
    server.close();
  }

  /** Builds and starts a {@link ControlPlane}. */
  public static final class Builder {
    private final DiscoveryProvider provider;
    private final TranslationFunction translation;
    private XdsServerConfig server = XdsServerConfig.builder().build();
    private ControlLoopConfig loop = ControlLoopConfig.defaults();
    private SnapshotValidator validator = SnapshotValidator.envoyRules();
    private Clock clock = Clock.systemUTC();
    // An empty composite hands out no-op meters.
    private MeterRegistry registry = new CompositeMeterRegistry();
    private int eventCapacity = EventLog.DEFAULT_CAPACITY;
    private Path stateDirectory;
    private String configuration;

    private Builder(DiscoveryProvider provider, TranslationFunction translation) {
      this.provider = Objects.requireNonNull(provider, "provider");
      this.translation = Objects.requireNonNull(translation, "translation");
    }

    public Builder server(XdsServerConfig server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    public Builder loop(ControlLoopConfig loop) {
      this.loop = Objects.requireNonNull(loop, "loop");
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

    /**
     * Where the control loop and the xDS server count events (names in {@link LoopMetrics} and
     * {@link ServingMetrics}); by default nowhere. Give the status server the same registry to
     * serve them on {@code /metrics}.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** How many events the history keeps; the oldest are dropped beyond it. */
    public Builder eventCapacity(int capacity) {
      this.eventCapacity = capacity;
      return this;
    }

    /**
     * Where the control loop keeps its state (last snapshot, drains, held removals, emptied
     * services, events) across restarts; see {@link ControlLoop.Builder#stateDirectory}. By default
     * nothing is kept.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * What the control plane discovers from, as one line (provider, scopes and filters, inventory
     * file, mesh configuration); a saved state of another configuration is not served. See {@link
     * ControlLoop.Builder#configuration}.
     */
    public Builder configuration(String fingerprint) {
      this.configuration = Objects.requireNonNull(fingerprint, "fingerprint");
      return this;
    }

    /**
     * Starts in order: locks the state directory and restores the saved state (its events first,
     * then its snapshot, once validated), then binds the xDS port, so the first proxy to connect
     * gets the restored snapshot and its connection follows the restored history; then starts the
     * loop, whose first refresh runs at once.
     */
    public ControlPlane start() {
      EventLog events = new EventLog(clock, eventCapacity);
      HeldSink sink = new HeldSink();
      ControlLoop.Builder builder =
          ControlLoop.builder(provider, translation, sink)
              .config(loop)
              .validator(validator)
              .clock(clock)
              .meterRegistry(registry)
              .events(events);
      if (stateDirectory != null) {
        builder.stateDirectory(stateDirectory);
      }
      if (configuration != null) {
        builder.configuration(configuration);
      }
      ControlLoop control = builder.build();
      XdsServer xds;
      try {
        xds = XdsServer.start(server, clock, registry, events::record);
      } catch (RuntimeException e) {
        control.close();
        throw e;
      }
      try {
        sink.attach(xds);
        control.start();
        return new ControlPlane(xds, control, events);
      } catch (RuntimeException e) {
        control.close();
        xds.close();
        throw e;
      }
    }
  }

  /**
   * Keeps what the loop publishes before the server is bound (the restored snapshot), and hands it
   * and everything after it to the server once attached.
   */
  private static final class HeldSink implements SnapshotSink {
    private SnapshotSink target;
    private XdsResources heldResources;
    private Instant heldSeenAt;

    @Override
    public synchronized void publish(XdsResources resources, Instant changeSeenAt) {
      if (target == null) {
        heldResources = resources;
        heldSeenAt = changeSeenAt;
      } else {
        target.publish(resources, changeSeenAt);
      }
    }

    synchronized void attach(SnapshotSink server) {
      target = server;
      if (heldResources != null) {
        server.publish(heldResources, heldSeenAt);
        heldResources = null;
        heldSeenAt = null;
      }
    }
  }
}
