package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceChanges;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.translator.Membership;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.Translator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random edit sequences through the real loop: after every step, the loop as it runs (the
 * production translation, which memoizes, fed discoveries that say what changed) publishes and
 * remembers exactly what a loop fed the same whole worlds with a translation that computes every
 * call from scratch does.
 */
class IncrementalEqualsFullRecomputeTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> SERVICES = List.of("web", "api", "cache");

  /** Translates every call with a new translator: nothing remembered, the full recompute. */
  private static final TranslationFunction FROM_SCRATCH =
      new TranslationFunction() {
        @Override
        public Translation translate(TranslationInput input) {
          return new Translator().translate(MeshConfig.defaults(), input);
        }

        @Override
        public Membership membership(List<Instance> instances) {
          return new Translator().membership(MeshConfig.defaults(), instances);
        }
      };

  enum Kind {
    ADD,
    REMOVE,
    RETAG,
    PORT,
    STOP,
    START,
    REMOVE_SERVICE,
    WAIT
  }

  /**
   * One edit of the inventory, or time passing.
   *
   * @param kind what is done
   * @param target which instance (modulo how many there are) or service
   * @param value the new port, service index or seconds to wait
   */
  record Edit(Kind kind, int target, int value) {}

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 90))
            .as(Edit::new);
    return edit.list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 40)
  void everyStep_incrementalEqualsFullRecompute(@ForAll("edits") List<Edit> edits) {
    MutableClock clock = new MutableClock(T0);
    World world = new World();
    WorldProvider changes = new WorldProvider(clock, Report.CHANGES);
    WorldProvider whole = new WorldProvider(clock, Report.WHOLE_WORLD);
    EventLog incrementalEvents = new EventLog(clock, EventLog.DEFAULT_CAPACITY);
    EventLog fullEvents = new EventLog(clock, EventLog.DEFAULT_CAPACITY);
    try (ControlLoop incremental =
            loop(changes, TranslationFunction.of(MeshConfig.defaults()), clock, incrementalEvents);
        ControlLoop full = loop(whole, FROM_SCRATCH, clock, fullEvents)) {
      step(world, changes, whole, incremental, full);
      check("after the first discovery", incremental, full);
      for (Edit edit : edits) {
        if (edit.kind() == Kind.WAIT) {
          clock.advance(Duration.ofSeconds(edit.value()));
          incremental.replanNow();
          full.replanNow();
        } else {
          world.apply(edit);
          step(world, changes, whole, incremental, full);
        }
        check("after " + edit + " in " + edits, incremental, full);
        assertThat(incrementalEvents.since(0)).isEqualTo(fullEvents.since(0));
      }
    }
  }

  private static void check(String at, ControlLoop incremental, ControlLoop full) {
    assertThat(incremental.published()).as(at).isEqualTo(full.published());
    assertThat(incremental.servingState()).as(at).isEqualTo(full.servingState());
    assertThat(incremental.discovery().heldRemovals())
        .as(at)
        .isEqualTo(full.discovery().heldRemovals());
    assertThat(incremental.verifyNow()).as(at).isFalse();
  }

  private static void step(
      World world,
      WorldProvider changes,
      WorldProvider whole,
      ControlLoop incremental,
      ControlLoop full) {
    List<Instance> now = world.instances();
    changes.set(now);
    whole.set(now);
    incremental.refreshNow();
    full.refreshNow();
  }

  private static ControlLoop loop(
      DiscoveryProvider provider,
      TranslationFunction translation,
      MutableClock clock,
      EventLog events) {
    return ControlLoop.builder(provider, translation, (resources, seenAt) -> {})
        // Holds, drains and kept services all end within a few steps of waiting.
        .config(
            ControlLoopConfig.builder()
                .massRemovalHold(Duration.ofSeconds(40))
                .serviceRetention(Duration.ofSeconds(60))
                .build())
        .clock(clock)
        .events(events)
        .build();
  }

  /** The inventory the edits change: a few instances over a few services. */
  private static final class World {
    private final Map<String, Instance> byId = new TreeMap<>();
    private int next;

    World() {
      for (int i = 0; i < 6; i++) {
        add(SERVICES.get(i % SERVICES.size()), 8000 + i);
      }
    }

    List<Instance> instances() {
      return List.copyOf(byId.values());
    }

    void apply(Edit edit) {
      if (edit.kind() == Kind.ADD) {
        add(SERVICES.get(edit.target() % SERVICES.size()), 8000 + edit.value());
        return;
      }
      if (edit.kind() == Kind.REMOVE_SERVICE) {
        String service = SERVICES.get(edit.target() % SERVICES.size());
        byId.values().removeIf(i -> service.equals(i.tags().get("mesh-service")));
        return;
      }
      if (byId.isEmpty()) {
        return;
      }
      List<String> ids = new ArrayList<>(byId.keySet());
      String id = ids.get(edit.target() % ids.size());
      Instance instance = byId.get(id);
      Instance.Builder changed = instance.toBuilder();
      switch (edit.kind()) {
        case REMOVE -> {
          byId.remove(id);
          return;
        }
        case RETAG ->
            changed.tags(
                Map.of(
                    "mesh-service",
                    SERVICES.get(edit.value() % SERVICES.size()),
                    "mesh-port",
                    instance.tags().get("mesh-port")));
        case PORT ->
            changed.tags(
                Map.of(
                    "mesh-service",
                    instance.tags().get("mesh-service"),
                    "mesh-port",
                    String.valueOf(8000 + edit.value())));
        case STOP -> changed.powerState(PowerState.STOPPED);
        case START -> changed.powerState(PowerState.RUNNING);
        default -> throw new IllegalArgumentException("not an instance edit: " + edit);
      }
      byId.put(id, changed.build());
    }

    private void add(String service, int port) {
      String name = "vm-" + next++;
      byId.put(
          name,
          Instance.builder(name, name, "10.0.0." + (next % 250 + 1))
              .tags(Map.of("mesh-service", service, "mesh-port", String.valueOf(port)))
              .build());
    }
  }

  /** Whether a provider says what changed since its previous discovery. */
  enum Report {
    CHANGES,
    WHOLE_WORLD
  }

  /** A provider of the world it was last given, like the file provider. */
  private static final class WorldProvider implements DiscoveryProvider {
    private final MutableClock clock;
    private final Report report;
    private List<Instance> current = List.of();
    private Optional<List<Instance>> previous = Optional.empty();

    WorldProvider(MutableClock clock, Report report) {
      this.clock = clock;
      this.report = report;
    }

    void set(List<Instance> instances) {
      current = instances;
    }

    @Override
    public String name() {
      return "world";
    }

    @Override
    public Discovery discover() {
      Optional<InstanceChanges> changes =
          report == Report.CHANGES
              ? previous.map(before -> InstanceChanges.between(before, current))
              : Optional.empty();
      previous = Optional.of(current);
      return new Discovery(
          current,
          List.of(),
          clock.instant(),
          new DiscoveryStats("world", 0, Duration.ZERO),
          changes,
          List.of());
    }
  }
}
