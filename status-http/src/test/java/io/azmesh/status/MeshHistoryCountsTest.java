package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.EndpointCounts;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.TranslationInput.RetainedEndpoint;
import io.azmesh.xds.translator.Translator;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The history's per-service counts, taken from the counts a translation carries, are those {@link
 * ServicesView} counts from every instance status, on snapshots the real {@link Translator} built.
 */
class MeshHistoryCountsTest {

  /** {@code idle} is listed and never tagged: a cluster with no endpoint. */
  private static final MeshConfig CONFIG =
      MeshConfig.parse(
          """
          unlisted_services: reject
          services:
            web: {}
            api: {port: 8080}
            shop: {address: public}
            idle: {}
          """,
          "history-counts.yaml");

  private static final List<String> TAGS =
      List.of("web", "api", "shop", "web,api", "api,shop,web", "unknown", "web,unknown", "");

  private static final List<String> LISTED = List.of("web", "api", "shop", "idle");

  private static final List<String> PORT_TAGS = List.of("", "9090", "http");

  private final Translator translator = new Translator();

  private long version;

  @Test
  void sample_countsEveryEndpointOfTheStatuses_notOnePerAddressAsTheAssignment() {
    Instance web0 = instance("a-0", "web", 1);
    Instance webAndApi = instance("a-1", "web,api", 2);
    Instance drained = instance("a-2", "web", 3);
    Instance moved = instance("a-3", "api", 4);
    Instance stopped = instance("a-4", "web", 5).toBuilder().powerState(PowerState.STOPPED).build();
    Instance badPort = instance("a-5", "web", 6).toBuilder().tags(tags("web", "http")).build();
    Instance noPublicIp = instance("a-6", "shop", 7).toBuilder().publicIp(null).build();
    Instance shop = instance("a-7", "shop", 8);
    Instance replacement = instance("a-8", "web", 9);
    // Gone from discovery, draining on the address its replacement took.
    Instance replaced = instance("a-9", "web", 9);

    Translation translation =
        translator.translate(
            CONFIG,
            new TranslationInput(
                List.of(
                    web0,
                    webAndApi,
                    drained,
                    moved,
                    stopped,
                    badPort,
                    noPublicIp,
                    shop,
                    replacement),
                Set.of(drained.id()),
                List.of(
                    new RetainedEndpoint(
                        moved.toBuilder().tags(tags("web", "")).build(),
                        "web",
                        InstanceStatus.State.DRAINING),
                    new RetainedEndpoint(replaced, "web", InstanceStatus.State.DRAINING)),
                Set.of()));
    MeshHistory.Sample sample = sampleOf(translation);

    assertThat(sample.services())
        .containsExactly(
            new MeshHistory.ServiceCount("api", 2, 0, 2),
            new MeshHistory.ServiceCount("idle", 0, 0, 0),
            new MeshHistory.ServiceCount("shop", 1, 0, 1),
            new MeshHistory.ServiceCount("web", 3, 3, 6))
        .isEqualTo(servicesViewCounts(snapshotOf(translation)));
    // Why the counts are not read from the ClusterLoadAssignment: it has a-8 and a-9 as one.
    assertThat(lbEndpoints(translation, "web")).isEqualTo(5);
  }

  @Test
  void translate_afterOneServiceChanged_countsOnlyThatService() {
    List<Instance> fleet = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      fleet.add(instance("vm-" + i, LISTED.get(i % 3), i + 1));
    }
    Translation first = translator.translate(CONFIG, fleet, Set.of());
    fleet.set(7, fleet.get(7).toBuilder().powerState(PowerState.STOPPED).build());

    Translation second = translator.translate(CONFIG, fleet, Set.of());

    // A service counted again has a new counts object; one whose endpoints are unchanged keeps
    // the object counted before, found with its ClusterLoadAssignment by the translator's memo.
    List<String> counted =
        second.endpointCounts().entrySet().stream()
            .filter(e -> e.getValue() != first.endpointCounts().get(e.getKey()))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(counted).containsExactly(LISTED.get(7 % 3));
    assertThat(sampleOf(second).services()).isEqualTo(servicesViewCounts(snapshotOf(second)));
  }

  @Test
  void sample_readsTheSnapshotsCounts_notItsInstances() {
    XdsResources resources = translator.translate(CONFIG, List.of(), Set.of()).resources();
    // No instance at all, yet counts for web: the sample must come from the counts alone.
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            1,
            MeshFixtures.PUBLISHED,
            resources,
            List.of(),
            List.of(),
            PublishedSnapshot.Origin.DISCOVERED,
            Map.of("web", new EndpointCounts("web", 2, 1)));

    assertThat(historyOf(snapshot).sample().services())
        .containsExactly(
            new MeshHistory.ServiceCount("api", 0, 0, 0),
            new MeshHistory.ServiceCount("idle", 0, 0, 0),
            new MeshHistory.ServiceCount("shop", 0, 0, 0),
            new MeshHistory.ServiceCount("web", 2, 1, 3));
  }

  @Test
  void sample_ofAHandBuiltSnapshot_namesTheServiceOfTheFirstEndpoint() {
    // Service and cluster differ only in hand-built snapshots; the counts follow ServicesView.
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            1,
            MeshFixtures.PUBLISHED,
            XdsResources.empty(),
            List.of(
                serving(
                    "b-1",
                    endpoint("zeta", "c-1", InstanceStatus.State.SERVING),
                    endpoint("alpha", "c-2", InstanceStatus.State.DRAINING)),
                serving(
                    "b-2",
                    endpoint("other", "c-1", InstanceStatus.State.DRAINING),
                    endpoint("alpha", "c-3", InstanceStatus.State.SERVING))),
            List.of());

    assertThat(historyOf(snapshot).sample().services())
        .containsExactly(
            new MeshHistory.ServiceCount("alpha", 0, 1, 1),
            new MeshHistory.ServiceCount("alpha", 1, 0, 1),
            new MeshHistory.ServiceCount("zeta", 1, 1, 2))
        .isEqualTo(servicesViewCounts(snapshot));
  }

  /**
   * A random fleet edited instance by instance, translated after each edit by one translator (so
   * its memo reuses what did not change): every sample equals ServicesView's counts.
   */
  @Property(tries = 200)
  void sample_equalsServicesView_afterEveryEdit(
      @ForAll("fleets") List<Spec> fleet,
      @ForAll("fleets") List<Spec> edits,
      @ForAll("retained") List<Kept> retained) {
    List<Spec> world = new ArrayList<>(fleet);
    List<Kept> kept = new ArrayList<>(retained);
    check(world, kept);
    for (int e = 0; e < edits.size(); e++) {
      if (world.isEmpty() || e % 3 == 2) {
        world.add(edits.get(e));
      } else {
        world.set(e % world.size(), edits.get(e));
      }
      if (!kept.isEmpty() && e % 4 == 3) {
        kept.remove(0);
      }
      check(world, kept);
    }
  }

  private void check(List<Spec> world, List<Kept> kept) {
    List<Instance> instances = new ArrayList<>();
    Set<String> draining = new HashSet<>();
    for (int i = 0; i < world.size(); i++) {
      Spec spec = world.get(i);
      instances.add(spec.toInstance("vm-" + i));
      if (spec.draining()) {
        draining.add("vm-" + i);
      }
    }
    List<RetainedEndpoint> endpoints = new ArrayList<>();
    Set<String> keptIds = new HashSet<>();
    for (int k = 0; k < kept.size(); k++) {
      Kept one = kept.get(k);
      // Either an instance gone from discovery or one that left the service for another.
      String id = one.gone() || world.isEmpty() ? "gone-" + k : "vm-" + (k % world.size());
      if (keptIds.add(id + " " + one.service())) {
        endpoints.add(
            new RetainedEndpoint(
                new Spec(one.service(), "", one.address(), true, false, PowerState.RUNNING)
                    .toInstance(id),
                one.service(),
                one.state()));
      }
    }
    Translation translation =
        translator.translate(
            CONFIG, new TranslationInput(instances, draining, endpoints, Set.of("idle")));
    PublishedSnapshot snapshot = snapshotOf(translation);

    assertThat(translation.endpointCounts()).isEqualTo(EndpointCounts.of(translation.instances()));
    assertThat(historyOf(snapshot).sample().services()).isEqualTo(servicesViewCounts(snapshot));
  }

  /**
   * One instance: a few addresses shared on purpose, so that two instances often publish on one
   * address and port.
   */
  record Spec(
      String services,
      String port,
      int address,
      boolean publicIp,
      boolean draining,
      PowerState power) {
    Instance toInstance(String id) {
      return Instance.builder(id, id, "10.0.0." + address)
          .publicIp(publicIp ? "20.0.0." + address : null)
          .powerState(power)
          .tags(tags(services, port))
          .build();
    }
  }

  /** An endpoint the control loop keeps in a service its instance left. */
  record Kept(String service, int address, InstanceStatus.State state, boolean gone) {}

  @Provide
  Arbitrary<List<Spec>> fleets() {
    return Combinators.combine(
            Arbitraries.of(TAGS),
            Arbitraries.of(PORT_TAGS),
            Arbitraries.integers().between(1, 6),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 4).map(d -> d == 0),
            Arbitraries.of(PowerState.RUNNING, PowerState.RUNNING, PowerState.STOPPED))
        .as(Spec::new)
        .list()
        .ofMaxSize(14);
  }

  @Provide
  Arbitrary<List<Kept>> retained() {
    return Combinators.combine(
            Arbitraries.of(LISTED),
            Arbitraries.integers().between(1, 6),
            Arbitraries.of(InstanceStatus.State.SERVING, InstanceStatus.State.DRAINING),
            Arbitraries.of(true, false))
        .as(Kept::new)
        .list()
        .ofMaxSize(5);
  }

  /** The counts as the history took them before: from ServicesView, sorted by service. */
  private static List<MeshHistory.ServiceCount> servicesViewCounts(PublishedSnapshot snapshot) {
    List<MeshHistory.ServiceCount> counts = new ArrayList<>();
    for (ServicesView.Service service : ServicesView.of(stateOf(snapshot)).services()) {
      counts.add(
          new MeshHistory.ServiceCount(
              service.service() == null ? service.cluster() : service.service(),
              service.endpointsServing(),
              service.endpointsDraining(),
              service.endpointsTotal()));
    }
    counts.sort(Comparator.comparing(MeshHistory.ServiceCount::service));
    return counts;
  }

  /** As the control loop publishes it: with the translation's own counts. */
  private PublishedSnapshot snapshotOf(Translation translation) {
    return new PublishedSnapshot(
        ++version,
        MeshFixtures.PUBLISHED,
        translation.resources(),
        translation.instances(),
        translation.problems(),
        PublishedSnapshot.Origin.DISCOVERED,
        translation.endpointCounts());
  }

  private MeshHistory.Sample sampleOf(Translation translation) {
    return historyOf(snapshotOf(translation)).sample();
  }

  private static MeshHistory historyOf(PublishedSnapshot snapshot) {
    return new MeshHistory(
        stateOf(snapshot),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        new SteppedClock(MeshFixtures.NOW),
        Duration.ofSeconds(10),
        2);
  }

  private static FixedMeshState stateOf(PublishedSnapshot snapshot) {
    return MeshFixtures.published().publishing(snapshot);
  }

  private static int lbEndpoints(Translation translation, String cluster) {
    ClusterLoadAssignment assignment =
        translation.resources().endpoints().stream()
            .filter(a -> a.getClusterName().equals(cluster))
            .findFirst()
            .orElseThrow();
    return assignment.getEndpointsList().stream()
        .mapToInt(LocalityLbEndpoints::getLbEndpointsCount)
        .sum();
  }

  private static Instance instance(String id, String services, int address) {
    return new Spec(services, "", address, true, false, PowerState.RUNNING).toInstance(id);
  }

  private static InstanceStatus serving(String id, InstanceStatus.ServiceEndpoint... endpoints) {
    return new InstanceStatus(
        instance(id, "web", 1), InstanceStatus.State.SERVING, List.of(endpoints), List.of());
  }

  private static InstanceStatus.ServiceEndpoint endpoint(
      String service, String cluster, InstanceStatus.State state) {
    return new InstanceStatus.ServiceEndpoint(service, cluster, "10.0.0.1", 8080, 1, state);
  }

  private static Map<String, String> tags(String services, String port) {
    Map<String, String> tags = new TreeMap<>();
    if (!services.isEmpty()) {
      tags.put("mesh-service", services);
    }
    if (!port.isEmpty()) {
      tags.put("mesh-port", port);
    }
    return tags;
  }
}
