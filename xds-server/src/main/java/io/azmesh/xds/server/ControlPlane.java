package io.azmesh.xds.server;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.xds.server.loop.ControlLoop;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.LoopMetrics;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.loop.SnapshotValidator;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.NodeStatus;
import io.azmesh.xds.server.serving.ServingMetrics;
import io.azmesh.xds.server.serving.XdsServer;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A running control plane: the xDS server ({@code serving}) and the control loop that feeds it
 * ({@code loop}), seen from outside through {@link MeshState}. This is where the two are wired: the
 * loop publishes to the server, and the server's proxy events go to the loop's event log.
 */
public final class ControlPlane implements MeshState, AutoCloseable {
  private final XdsServer server;
  private final ControlLoop loop;
  private final EventLog events;

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

  @Override
  public Optional<PublishedSnapshot> published() {
    return loop.published();
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
     * Binds the server, then starts the loop: a saved snapshot is served at once, and the first
     * refresh runs at once.
     */
    public ControlPlane start() {
      EventLog events = new EventLog(clock, eventCapacity);
      XdsServer xds = XdsServer.start(server, clock, registry, events::record);
      try {
        ControlLoop.Builder builder =
            ControlLoop.builder(provider, translation, xds)
                .config(loop)
                .validator(validator)
                .clock(clock)
                .meterRegistry(registry)
                .events(events);
        if (stateDirectory != null) {
          builder.stateDirectory(stateDirectory);
        }
        ControlLoop control = builder.build();
        control.start();
        return new ControlPlane(xds, control, events);
      } catch (RuntimeException e) {
        xds.close();
        throw e;
      }
    }
  }
}
