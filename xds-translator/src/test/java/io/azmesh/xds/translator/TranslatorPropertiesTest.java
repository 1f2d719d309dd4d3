package io.azmesh.xds.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.XdsResources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Determinism and EDS-only churn over random worlds. */
class TranslatorPropertiesTest {
  private static final List<String> SERVICES = List.of("web", "api", "greeter", "cache", "shop");

  /** Health-path tags a rolling upgrade might leave on instances; index 0 is no tag. */
  private static final List<String> HEALTH_PATHS = List.of("", "/healthz", "/ready", "/v2/health");

  /** Every service listed, so the set of services never depends on membership. */
  private static final MeshConfig CONFIG =
      MeshConfig.parse(
          """
          unlisted_services: reject
          services:
            web: {health_check: {kind: http, path: /healthz}}
            api: {port: 8080, lb_policy: least_request, health_check: {kind: http}}
            greeter: {protocol: grpc, health_check: {kind: grpc}}
            cache: {protocol: tcp, proxyless: disabled, lb_policy: random}
            shop: {lb_policy: ring_hash, address: public}
          gateways:
            edge:
              default_service: web
              routes:
                - {host: api.example.com, service: api}
          """,
          "properties.yaml");

  private final Translator translator = new Translator();

  /** One random instance; {@code index} makes ids and addresses unique. */
  private record Spec(
      int service,
      int zone,
      int weight,
      PowerState power,
      boolean publicIp,
      int port,
      int healthPath) {
    Instance toInstance(int index) {
      Map<String, String> tags = new TreeMap<>();
      tags.put("mesh-service", SERVICES.get(service));
      tags.put("mesh-weight", Integer.toString(weight));
      if (port > 0) {
        tags.put("mesh-port", Integer.toString(port));
      }
      if (healthPath > 0) {
        tags.put("mesh-health-path", HEALTH_PATHS.get(healthPath));
      }
      return Instance.builder(
              "vm-" + index, "vm-" + index, "10.0." + index / 250 + "." + (index % 250 + 1))
          .publicIp(publicIp ? "20.0." + index / 250 + "." + (index % 250 + 1) : null)
          .location("westeurope")
          .zone(Integer.toString(zone))
          .powerState(power)
          .tags(tags)
          .build();
    }
  }

  @Provide
  Arbitrary<List<Instance>> worlds() {
    Arbitrary<Spec> spec =
        Combinators.combine(
                Arbitraries.integers().between(0, SERVICES.size() - 1),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 128),
                Arbitraries.of(PowerState.class),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3).map(p -> p == 0 ? 9000 : 0),
                Arbitraries.integers().between(0, HEALTH_PATHS.size() - 1))
            .as(Spec::new);
    return spec.list().ofMaxSize(60).map(TranslatorPropertiesTest::instances);
  }

  private static List<Instance> instances(List<Spec> specs) {
    List<Instance> instances = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      instances.add(specs.get(i).toInstance(i));
    }
    return instances;
  }

  private static Set<String> someIds(List<Instance> instances, long seed) {
    Random random = new Random(seed);
    Set<String> ids = new TreeSet<>();
    instances.forEach(
        i -> {
          if (random.nextInt(4) == 0) {
            ids.add(i.id());
          }
        });
    return ids;
  }

  @Property(tries = 100)
  void translate_shuffledInputGivesIdenticalOutput(
      @ForAll("worlds") List<Instance> world, @ForAll long seed) {
    Set<String> draining = someIds(world, seed);
    List<Instance> shuffled = new ArrayList<>(world);
    Collections.shuffle(shuffled, new Random(seed));

    Translation one = translator.translate(CONFIG, world, draining);
    Translation two = translator.translate(CONFIG, shuffled, new TreeSet<>(draining));

    assertThat(two.resources()).isEqualTo(one.resources());
    assertThat(two.instances()).isEqualTo(one.instances());
    assertThat(two.problems()).isEqualTo(one.problems());
    assertThat(EnvoyJson.xds(two.resources())).isEqualTo(EnvoyJson.xds(one.resources()));
  }

  @Property(tries = 100)
  void translate_membershipChangesNeverTouchClustersListenersOrRoutes(
      @ForAll("worlds") List<Instance> before,
      @ForAll("worlds") List<Instance> after,
      @ForAll long seed) {
    XdsResources one = translator.translate(CONFIG, before, someIds(before, seed)).resources();
    XdsResources two = translator.translate(CONFIG, after, someIds(after, seed + 1)).resources();

    assertThat(two.clusters()).isEqualTo(one.clusters());
    assertThat(two.listeners()).isEqualTo(one.listeners());
    assertThat(two.routes()).isEqualTo(one.routes());
    assertThat(two.versions().clusters()).isEqualTo(one.versions().clusters());
    assertThat(two.versions().listeners()).isEqualTo(one.versions().listeners());
    assertThat(two.versions().routes()).isEqualTo(one.versions().routes());
    for (String service : SERVICES) {
      boolean sameEndpoints = endpointsOf(one, service).equals(endpointsOf(two, service));
      assertThat(
              two.versions()
                  .endpointsByCluster()
                  .get(service)
                  .equals(one.versions().endpointsByCluster().get(service)))
          .as("per-CLA version of %s tracks its content", service)
          .isEqualTo(sameEndpoints);
    }
  }

  @Property(tries = 100)
  void translate_aTranslatorThatTranslatedBeforeGivesWhatAFreshOneGives(
      @ForAll("worlds") List<Instance> before,
      @ForAll("worlds") List<Instance> after,
      @ForAll long seed) {
    Translator reused = new Translator();
    XdsValidator validator = new XdsValidator();
    validator.validate(reused.translate(CONFIG, before, someIds(before, seed)).resources());

    Translation incremental = reused.translate(CONFIG, after, someIds(after, seed + 1));
    Translation fresh = new Translator().translate(CONFIG, after, someIds(after, seed + 1));

    assertThat(incremental).isEqualTo(fresh);
    assertThat(incremental.resources().versions()).isEqualTo(fresh.resources().versions());
    assertThat(EnvoyJson.xds(incremental.resources())).isEqualTo(EnvoyJson.xds(fresh.resources()));
    assertThat(validator.validate(incremental.resources()))
        .isEqualTo(new XdsValidator().validate(fresh.resources()));
  }

  @Property(tries = 100)
  void translate_everyRandomWorldIsValid(
      @ForAll("worlds") List<Instance> world, @ForAll long seed) {
    XdsResources resources = translator.translate(CONFIG, world, someIds(world, seed)).resources();

    assertThat(new XdsValidator().validate(resources)).isEmpty();
  }

  private static Object endpointsOf(XdsResources resources, String service) {
    return resources.endpoints().stream()
        .filter(c -> c.getClusterName().equals(service))
        .findFirst()
        .orElseThrow();
  }
}
