package io.azmesh.xds.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.translator.TranslationInput.RetainedEndpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * A translator told which instances changed since its last input gives what a translator that
 * remembers nothing gives, after every step of random edits: instances added, removed, retagged (to
 * listed, unlisted, gateway and several services), stopped and started, endpoints retained and
 * released, services kept and dropped, instances drained.
 */
class IncrementalTranslationTest {

  /** Some services listed, others adopted; a gateway routing to one listed and one unlisted. */
  private static final MeshConfig ADOPTING =
      MeshConfig.parse(
          """
          unlisted_services: adopt
          services:
            web: {health_check: {kind: http, path: /healthz}}
            api: {port: 8080, lb_policy: least_request}
            shop: {address: public}
          gateways:
            edge:
              default_service: web
              routes:
                - {host: cart.example.com, service: cart}
          """,
          "incremental.yaml");

  /** Only listed services; anything else a tag names is a problem. */
  private static final MeshConfig REJECTING =
      MeshConfig.parse(
          """
          unlisted_services: reject
          services:
            web: {}
            api: {port: 8080}
            cart: {proxyless: disabled}
          """,
          "incremental-reject.yaml");

  private static final List<String> SERVICE_TAGS =
      List.of(
          "web", "api", "shop", "cart", "ghost", "edge", "web,api", "api, cart", "", "Bad_Name");

  @Property(tries = 60)
  void everyStep_incrementalEqualsFromScratch(@ForAll long seed) {
    for (MeshConfig config : List.of(ADOPTING, REJECTING)) {
      Random random = new Random(seed);
      Translator incremental = new Translator();
      World world = new World(random);
      TranslationInput previous = world.input();
      assertThat(incremental.translate(config, previous, Optional.empty()))
          .isEqualTo(new Translator().translate(config, previous));
      for (int step = 0; step < 25; step++) {
        world.edit();
        TranslationInput next = world.input();
        InputChanges changes = new InputChanges(previous.instances(), changedIds(previous, next));
        Translation got = incremental.translate(config, next, Optional.of(changes));
        Translation expected = new Translator().translate(config, next);
        assertThat(got).as("step %d of seed %d", step, seed).isEqualTo(expected);
        previous = next;
      }
    }
  }

  @Test
  void changesNotRelativeToTheLastInput_translateEverything() {
    World world = new World(new Random(7));
    Translator translator = new Translator();
    TranslationInput first = world.input();
    translator.translate(ADOPTING, first, Optional.empty());
    world.edit();
    TranslationInput second = world.input();
    // Claims nothing changed, relative to a list this translator never saw.
    InputChanges stale = new InputChanges(new ArrayList<>(first.instances()), Set.of());
    assertThat(translator.translate(ADOPTING, second, Optional.of(stale)))
        .isEqualTo(new Translator().translate(ADOPTING, second));
    assertThat(translator.lastWork().instances()).isEqualTo(second.instances().size());
  }

  @Test
  void oneInstanceChanged_rebuildsThatInstanceAndItsService() {
    List<Instance> fleet = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      fleet.add(instance(i, "svc-" + (i % 100), PowerState.RUNNING, "10.1." + i / 250));
    }
    Translator translator = new Translator();
    MeshConfig config = MeshConfig.defaults();
    TranslationInput before = TranslationInput.of(List.copyOf(fleet), Set.of());
    translator.translate(config, before, Optional.empty());
    assertThat(translator.lastWork()).isEqualTo(new Translator.Work(2_000, 100));

    fleet.set(1_234, instance(1_234, "svc-34", PowerState.RUNNING, "10.9.9"));
    TranslationInput after = TranslationInput.of(List.copyOf(fleet), Set.of());
    Translation translated =
        translator.translate(
            config, after, Optional.of(new InputChanges(before.instances(), Set.of("vm-01234"))));

    assertThat(translator.lastWork()).isEqualTo(new Translator.Work(1, 1));
    assertThat(translated).isEqualTo(new Translator().translate(config, after));
  }

  @Test
  void oneInstanceMoved_rebuildsBothServices() {
    List<Instance> fleet = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fleet.add(instance(i, "svc-" + (i % 10), PowerState.RUNNING, "10.1.0"));
    }
    Translator translator = new Translator();
    TranslationInput before = TranslationInput.of(List.copyOf(fleet), Set.of());
    translator.translate(MeshConfig.defaults(), before, Optional.empty());
    fleet.set(5, instance(5, "svc-6", PowerState.RUNNING, "10.1.0"));
    TranslationInput after =
        new TranslationInput(
            List.copyOf(fleet),
            Set.of(),
            List.of(
                new RetainedEndpoint(
                    before.instances().get(5), "svc-5", InstanceStatus.State.DRAINING)),
            Set.of());
    translator.translate(
        MeshConfig.defaults(),
        after,
        Optional.of(new InputChanges(before.instances(), Set.of("vm-00005"))));
    assertThat(translator.lastWork()).isEqualTo(new Translator.Work(1, 2));
  }

  private static Instance instance(int i, String service, PowerState power, String net) {
    return Instance.builder(
            String.format("vm-%05d", i), String.format("vm-%05d", i), net + "." + (i % 250 + 1))
        .powerState(power)
        .tags(Map.of("mesh-service", service))
        .build();
  }

  private static Set<String> changedIds(TranslationInput before, TranslationInput after) {
    Map<String, Instance> old = new HashMap<>();
    before.instances().forEach(i -> old.put(i.id(), i));
    Set<String> changed = new TreeSet<>();
    for (Instance instance : after.instances()) {
      Instance was = old.remove(instance.id());
      if (!instance.equals(was)) {
        changed.add(instance.id());
      }
    }
    changed.addAll(old.keySet());
    return changed;
  }

  /** A small fleet edited at random, with what a control loop would retain and keep. */
  private static final class World {
    private final Random random;
    private final Map<String, Instance> instances = new TreeMap<>();
    private final Map<String, Instance> formerly = new TreeMap<>();
    private final Map<String, RetainedEndpoint> retained = new TreeMap<>();
    private final Set<String> kept = new TreeSet<>();
    private final Set<String> draining = new TreeSet<>();
    private int next;

    World(Random random) {
      this.random = random;
      for (int i = 0; i < 12; i++) {
        add();
      }
    }

    TranslationInput input() {
      Set<String> drainingNow = new TreeSet<>(draining);
      drainingNow.retainAll(instances.keySet());
      return new TranslationInput(
          List.copyOf(instances.values()), drainingNow, List.copyOf(retained.values()), kept);
    }

    void edit() {
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        List<String> ids = new ArrayList<>(instances.keySet());
        String id = ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
        switch (random.nextInt(10)) {
          case 0 -> add();
          case 1 -> {
            if (id != null) {
              formerly.put(id, instances.remove(id));
            }
          }
          case 2 -> {
            if (id != null) {
              instances.put(id, instances.get(id).toBuilder().tags(tags()).build());
            }
          }
          case 3 -> {
            if (id != null) {
              instances.put(id, instances.get(id).toBuilder().powerState(power()).build());
            }
          }
          case 4, 5 -> retainSomething();
          case 6 -> {
            if (!retained.isEmpty()) {
              List<String> keys = new ArrayList<>(retained.keySet());
              retained.remove(keys.get(random.nextInt(keys.size())));
            }
          }
          case 7 -> {
            String service =
                List.of("web", "api", "shop", "cart", "ghost", "edge", "gone")
                    .get(random.nextInt(7));
            if (!kept.remove(service)) {
              kept.add(service);
            }
          }
          case 8 -> {
            if (id != null && !draining.remove(id)) {
              draining.add(id);
            }
          }
          default -> {
            if (id != null) {
              Instance i = instances.get(id);
              instances.put(
                  id,
                  Instance.builder(i.id(), i.name(), "10.2.0." + (random.nextInt(250) + 1))
                      .powerState(i.powerState())
                      .tags(i.tags())
                      .zone(random.nextBoolean() ? "1" : null)
                      .build());
            }
          }
        }
      }
    }

    private void retainSomething() {
      List<Instance> candidates = new ArrayList<>(formerly.values());
      candidates.addAll(instances.values());
      if (candidates.isEmpty()) {
        return;
      }
      Instance instance = candidates.get(random.nextInt(candidates.size()));
      String tag = instance.tags().getOrDefault("mesh-service", "web");
      String service = tag.contains(",") ? tag.split(",")[random.nextInt(2)].trim() : tag;
      if (service.isEmpty() || random.nextInt(5) == 0) {
        service = "web";
      }
      retained.put(
          instance.id() + "/" + service,
          new RetainedEndpoint(
              instance,
              service,
              random.nextBoolean() ? InstanceStatus.State.DRAINING : InstanceStatus.State.SERVING));
    }

    private void add() {
      String id = String.format("vm-%03d", next++);
      instances.put(
          id,
          Instance.builder(id, id, "10.0.0." + (next % 250 + 1))
              .publicIp(random.nextBoolean() ? "20.0.0." + (next % 250 + 1) : null)
              .powerState(power())
              .tags(tags())
              .build());
    }

    private PowerState power() {
      return random.nextInt(4) == 0 ? PowerState.STOPPED : PowerState.RUNNING;
    }

    private Map<String, String> tags() {
      Map<String, String> tags = new TreeMap<>();
      String service = SERVICE_TAGS.get(random.nextInt(SERVICE_TAGS.size()));
      if (random.nextInt(8) != 0) {
        tags.put("mesh-service", service);
      }
      if (random.nextInt(3) == 0) {
        tags.put(
            "mesh-port", random.nextInt(6) == 0 ? "0" : Integer.toString(8000 + random.nextInt(3)));
      }
      if (random.nextInt(4) == 0) {
        tags.put("mesh-weight", Integer.toString(1 + random.nextInt(3)));
      }
      return tags;
    }
  }
}
