package io.azmesh.xds.translator;

import static io.azmesh.xds.translator.TestInstances.member;
import static io.azmesh.xds.translator.TestInstances.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TranslatorTest {
  private final Translator translator = new Translator();
  private final MeshConfig defaults = MeshConfig.defaults();

  private Translation translate(Instance... instances) {
    return translator.translate(defaults, List.of(instances), Set.of());
  }

  private static ClusterLoadAssignment cla(XdsResources resources, String service) {
    return resources.endpoints().stream()
        .filter(c -> c.getClusterName().equals(service))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> addresses(ClusterLoadAssignment cla) {
    return cla.getEndpointsList().stream()
        .flatMap(l -> l.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
        .toList();
  }

  @Test
  void translate_eachTaggedServiceBecomesEdsClusterOverAds() {
    Translation t = translate(member("a", "10.0.0.1", "web"), member("b", "10.0.0.2", "api"));

    assertThat(t.resources().clusters()).extracting(Cluster::getName).containsExactly("api", "web");
    Cluster web = t.resources().clusters().get(1);
    assertThat(web.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(web.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(web.getEdsClusterConfig().getEdsConfig().getResourceApiVersion().name())
        .isEqualTo("V3");
    assertThat(web.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    assertThat(addresses(cla(t.resources(), "web"))).containsExactly("10.0.0.1");
    assertThat(t.problems()).isEmpty();
  }

  @Test
  void translate_zoneTagBecomesLocality() {
    Instance a = vm("a", "10.0.0.1", Map.of("mesh-service", "web")).zone("2").build();
    Instance b = vm("b", "10.0.0.2", Map.of("mesh-service", "web")).zone("1").build();

    ClusterLoadAssignment cla = cla(translate(a, b).resources(), "web");

    assertThat(cla.getEndpointsList())
        .extracting(l -> l.getLocality().getRegion() + "/" + l.getLocality().getZone())
        .containsExactly("westeurope/1", "westeurope/2");
  }

  @Test
  void translate_localityWeightIsSumOfServingEndpointWeights() {
    Instance a = vm("a", "10.0.0.1", Map.of("mesh-service", "web", "mesh-weight", "3")).build();
    Instance b = vm("b", "10.0.0.2", Map.of("mesh-service", "web", "mesh-weight", "5")).build();

    LocalityLbEndpoints locality = cla(translate(a, b).resources(), "web").getEndpoints(0);

    assertThat(locality.getLoadBalancingWeight().getValue()).isEqualTo(8);
    assertThat(locality.getLbEndpointsList())
        .extracting(e -> e.getLoadBalancingWeight().getValue())
        .containsExactly(3, 5);
  }

  @Test
  void translate_severalServicesInOneTag() {
    Translation t = translate(member("a", "10.0.0.1", "web, api"));

    assertThat(t.resources().clusters()).extracting(Cluster::getName).containsExactly("api", "web");
    assertThat(t.instances().get(0).endpoints())
        .extracting(InstanceStatus.ServiceEndpoint::service)
        .containsExactly("web", "api");
  }

  @Test
  void translate_portTagOverridesServicePort() {
    Instance a = vm("a", "10.0.0.1", Map.of("mesh-service", "web", "mesh-port", "8080")).build();
    Instance b = member("b", "10.0.0.2", "web");

    ClusterLoadAssignment cla = cla(translate(a, b).resources(), "web");

    assertThat(cla.getEndpoints(0).getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .containsExactly(8080, 80);
  }

  @Test
  void translate_badPortTagLeavesOutOnlyThatInstance() {
    Instance bad =
        vm("vm-3", "10.0.0.3", Map.of("mesh-service", "web", "mesh-port", "http")).build();
    Instance good = member("vm-1", "10.0.0.1", "web");

    Translation t = translate(bad, good);

    assertThat(addresses(cla(t.resources(), "web"))).containsExactly("10.0.0.1");
    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly("vm-3: tag mesh-port is 'http', not a port number (1..65535)");
    assertThat(t.instances())
        .extracting(s -> s.instance().name() + "=" + s.state())
        .containsExactly("vm-1=SERVING", "vm-3=EXCLUDED");
  }

  @Test
  void translate_weightOutOfRangeIsAProblem() {
    Instance zero =
        vm("vm-0", "10.0.0.1", Map.of("mesh-service", "web", "mesh-weight", "0")).build();
    Instance big =
        vm("vm-9", "10.0.0.2", Map.of("mesh-service", "web", "mesh-weight", "129")).build();

    Translation t = translate(zero, big);

    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly(
            "vm-0: tag mesh-weight is '0', not a weight (1..128)",
            "vm-9: tag mesh-weight is '129', not a weight (1..128)");
    assertThat(addresses(cla(t.resources(), "web"))).isEmpty();
  }

  @Test
  void translate_unknownServiceIsAProblemWhenUnlistedServicesAreRejected() {
    MeshConfig config =
        MeshConfig.parse(
            """
            unlisted_services: reject
            services:
              web: {}
            """,
            "mesh.yaml");

    Translation t =
        translator.translate(
            config,
            List.of(member("vm-1", "10.0.0.1", "web,shop"), member("vm-2", "10.0.0.2", "shop")),
            Set.of());

    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly(
            "vm-1: tag mesh-service is 'shop', not a service listed in the mesh config",
            "vm-2: tag mesh-service is 'shop', not a service listed in the mesh config");
    assertThat(t.resources().clusters()).extracting(Cluster::getName).containsExactly("web");
    assertThat(addresses(cla(t.resources(), "web"))).containsExactly("10.0.0.1");
    assertThat(t.instances())
        .extracting(InstanceStatus::state)
        .containsExactly(InstanceStatus.State.SERVING, InstanceStatus.State.EXCLUDED);
  }

  @Test
  void translate_invalidServiceNameIsAProblem() {
    Translation t = translate(member("vm-1", "10.0.0.1", "Web Shop"));

    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly("vm-1: tag mesh-service is 'Web Shop', " + ServiceNames.RULE);
    assertThat(t.resources().clusters()).isEmpty();
  }

  @Test
  void translate_missingServiceTagExcludesTheInstance() {
    Translation t = translate(vm("vm-1", "10.0.0.1", Map.of()).build());

    assertThat(t.instances().get(0).state()).isEqualTo(InstanceStatus.State.EXCLUDED);
    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly("vm-1: tag mesh-service is missing, the instance belongs to no service");
  }

  @Test
  void translate_nonRunningInstanceIsLeftOutButKeepsItsService() {
    Instance stopped =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web"))
            .powerState(PowerState.DEALLOCATED)
            .build();

    Translation t = translate(stopped);

    assertThat(t.resources().clusters()).extracting(Cluster::getName).containsExactly("web");
    assertThat(addresses(cla(t.resources(), "web"))).isEmpty();
    assertThat(t.instances().get(0).state()).isEqualTo(InstanceStatus.State.EXCLUDED);
    assertThat(t.problems()).isEmpty();
  }

  @Test
  void translate_drainingInstanceIsPublishedAsDrainingEvenWhenStopped() {
    Instance stopped =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web"))
            .powerState(PowerState.STOPPED)
            .build();
    Instance running = member("vm-2", "10.0.0.2", "web");

    Translation t = translator.translate(defaults, List.of(stopped, running), Set.of("vm-1"));

    LocalityLbEndpoints locality = cla(t.resources(), "web").getEndpoints(0);
    assertThat(locality.getLbEndpointsList())
        .extracting(LbEndpoint::getHealthStatus)
        .containsExactly(HealthStatus.DRAINING, HealthStatus.HEALTHY);
    assertThat(locality.getLoadBalancingWeight().getValue()).isEqualTo(1);
    assertThat(t.instances())
        .extracting(InstanceStatus::state)
        .containsExactly(InstanceStatus.State.DRAINING, InstanceStatus.State.SERVING);
  }

  @Test
  void translate_retainedEndpointDrainsFromTheServiceItsInstanceLeft() {
    Instance before = member("vm-1", "10.0.0.1", "web");
    Instance moved = member("vm-1", "10.0.0.1", "api");
    TranslationInput input =
        new TranslationInput(
            List.of(moved, member("vm-2", "10.0.0.2", "web")),
            Set.of(),
            List.of(
                new TranslationInput.RetainedEndpoint(
                    before, "web", InstanceStatus.State.DRAINING)),
            Set.of());

    Translation t = translator.translate(defaults, input);

    assertThat(cla(t.resources(), "web").getEndpoints(0).getLbEndpointsList())
        .extracting(LbEndpoint::getHealthStatus)
        .containsExactly(HealthStatus.DRAINING, HealthStatus.HEALTHY);
    assertThat(addresses(cla(t.resources(), "api"))).containsExactly("10.0.0.1");
    InstanceStatus vm1 = t.instances().get(0);
    assertThat(vm1.instance()).isEqualTo(moved);
    assertThat(vm1.state()).isEqualTo(InstanceStatus.State.SERVING);
    assertThat(vm1.endpoints())
        .extracting(InstanceStatus.ServiceEndpoint::service, InstanceStatus.ServiceEndpoint::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api", InstanceStatus.State.SERVING),
            org.assertj.core.groups.Tuple.tuple("web", InstanceStatus.State.DRAINING));
  }

  @Test
  void translate_statusesAreInIdOrderWhateverTheInputOrderAndWithRetainedInstancesBetween() {
    Instance gone = member("vm-2", "10.0.0.2", "web");
    List<TranslationInput.RetainedEndpoint> retained =
        List.of(new TranslationInput.RetainedEndpoint(gone, "web", InstanceStatus.State.DRAINING));
    Instance vm1 = member("vm-1", "10.0.0.1", "web");
    Instance vm3 = member("vm-3", "10.0.0.3", "web");

    Translation sorted =
        translator.translate(
            defaults, new TranslationInput(List.of(vm1, vm3), Set.of(), retained, Set.of()));
    Translation unsorted =
        translator.translate(
            defaults, new TranslationInput(List.of(vm3, vm1), Set.of(), retained, Set.of()));

    assertThat(sorted.instances())
        .extracting(s -> s.instance().id())
        .containsExactly("vm-1", "vm-2", "vm-3");
    assertThat(unsorted).isEqualTo(sorted);
  }

  @Test
  void translate_retainedServiceKeepsClusterListenerRoutesAndAnEmptyAssignment() {
    TranslationInput input = new TranslationInput(List.of(), Set.of(), List.of(), Set.of("web"));

    Translation t = translator.translate(defaults, input);

    assertThat(t.resources().clusters()).extracting(Cluster::getName).containsExactly("web");
    assertThat(cla(t.resources(), "web").getEndpointsList()).isEmpty();
    assertThat(t.resources().listeners())
        .extracting(Listener::getName)
        .containsExactlyInAnyOrder("gateway", "web");
    assertThat(t.resources().routes().get(0).getVirtualHosts(0).getRoutesList())
        .extracting(r -> r.getMatch().getPrefix())
        .containsExactly("/web/");
    assertThat(t.instances()).isEmpty();
  }

  @Test
  void translate_newInstanceOnADrainingInstancesAddressIsTheOnlyEndpointThere() {
    Instance leaving =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web"))
            .powerState(PowerState.STOPPED)
            .build();
    // The replacement lands in another zone: the address must still appear once in the CLA.
    Instance replacement = vm("vm-2", "10.0.0.1", Map.of("mesh-service", "web")).zone("2").build();
    Instance other = member("vm-3", "10.0.0.3", "web");

    Translation t =
        translator.translate(defaults, List.of(leaving, replacement, other), Set.of("vm-1"));

    ClusterLoadAssignment web = cla(t.resources(), "web");
    assertThat(web.getEndpointsList())
        .flatExtracting(LocalityLbEndpoints::getLbEndpointsList)
        .extracting(
            e ->
                e.getEndpoint().getHostname()
                    + " "
                    + e.getEndpoint().getAddress().getSocketAddress().getAddress()
                    + " "
                    + e.getHealthStatus())
        .containsExactly("vm-3 10.0.0.3 HEALTHY", "vm-2 10.0.0.1 HEALTHY");
    assertThat(new XdsValidator().validate(t.resources())).isEmpty();
  }

  @Test
  void translate_twoDrainingInstancesOnOneAddressPublishTheFirstById() {
    Instance one =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web"))
            .powerState(PowerState.STOPPED)
            .build();
    Instance two =
        vm("vm-2", "10.0.0.1", Map.of("mesh-service", "web"))
            .powerState(PowerState.STOPPED)
            .build();

    Translation t = translator.translate(defaults, List.of(two, one), Set.of("vm-1", "vm-2"));

    assertThat(cla(t.resources(), "web").getEndpoints(0).getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getHostname() + " " + e.getHealthStatus())
        .containsExactly("vm-1 DRAINING");
  }

  @Test
  void translate_publicAddressWhenTheServiceAsksForIt() {
    MeshConfig config = MeshConfig.parse("services:\n  web:\n    address: public\n", "mesh.yaml");
    Instance withIp =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web")).publicIp("20.1.1.1").build();
    Instance without = member("vm-2", "10.0.0.2", "web");

    Translation t = translator.translate(config, List.of(withIp, without), Set.of());

    assertThat(addresses(cla(t.resources(), "web"))).containsExactly("20.1.1.1");
    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly("vm-2: public_ip is missing, service web publishes public addresses");
  }

  @Test
  void translate_apiListenerPerServiceForProxylessGrpc() {
    Translation t = translate(member("a", "10.0.0.1", "greeter"));

    Listener api =
        t.resources().listeners().stream()
            .filter(l -> l.getName().equals("greeter"))
            .findFirst()
            .orElseThrow();
    assertThat(api.hasApiListener()).isTrue();
    HttpConnectionManager hcm = unpack(api);
    assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
        .isEqualTo("greeter");
    assertThat(hcm.getHttpFilters(0).hasTypedConfig()).isTrue();
  }

  @Test
  void translate_defaultGatewayRoutesServicePrefixOverRds() throws Exception {
    Translation t = translate(member("a", "10.0.0.1", "web"));

    Listener gateway =
        t.resources().listeners().stream()
            .filter(l -> l.getName().equals("gateway"))
            .findFirst()
            .orElseThrow();
    HttpConnectionManager hcm =
        gateway
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(HttpConnectionManager.class);
    assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("gateway");
    assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
    assertThat(gateway.getAddress().getSocketAddress().getPortValue()).isEqualTo(10000);
    RouteConfiguration routes = t.resources().routes().get(0);
    assertThat(routes.getVirtualHosts(0).getRoutesList())
        .extracting(r -> r.getMatch().getPrefix() + "->" + r.getRoute().getCluster())
        .containsExactly("/web/->web");
    assertThat(routes.getVirtualHosts(0).getRoutes(0).getRoute().getPrefixRewrite()).isEqualTo("/");
  }

  @Test
  void translate_duplicateInstanceIdIsRejected() {
    Instance a = member("a", "10.0.0.1", "web");

    assertThatThrownBy(() -> translate(a, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance id 'a' appears twice");
  }

  @Test
  void translate_membershipChangeOnlyChangesThatServicesEndpoints() {
    List<Instance> before = List.of(member("a", "10.0.0.1", "web"), member("b", "10.0.0.2", "api"));
    List<Instance> after =
        List.of(
            member("a", "10.0.0.1", "web"),
            member("b", "10.0.0.2", "api"),
            member("c", "10.0.0.3", "web"));

    XdsResources one = translator.translate(defaults, before, Set.of()).resources();
    XdsResources two = translator.translate(defaults, after, Set.of()).resources();

    assertThat(two.clusters()).isEqualTo(one.clusters());
    assertThat(two.listeners()).isEqualTo(one.listeners());
    assertThat(two.routes()).isEqualTo(one.routes());
    assertThat(two.versions().clusters()).isEqualTo(one.versions().clusters());
    assertThat(two.versions().listeners()).isEqualTo(one.versions().listeners());
    assertThat(two.versions().routes()).isEqualTo(one.versions().routes());
    assertThat(two.versions().endpoints()).isNotEqualTo(one.versions().endpoints());
    assertThat(two.versions().endpointsByCluster().get("api"))
        .isEqualTo(one.versions().endpointsByCluster().get("api"));
    assertThat(two.versions().endpointsByCluster().get("web"))
        .isNotEqualTo(one.versions().endpointsByCluster().get("web"));
  }

  @Test
  void translate_oneEndpointChangeHashesOnlyThatServicesAssignmentForTheVersions() {
    List<Instance> before = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      before.add(member("vm-" + i, "10.0.0." + (i + 1), "svc-" + (i % 8)));
    }
    List<Instance> after = new ArrayList<>(before);
    after.set(5, member("vm-5", "10.0.1.6", "svc-5"));

    translator.translate(defaults, before, Set.of());
    int first = translator.digestedInLastTranslation();
    translator.translate(defaults, after, Set.of());

    assertThat(translator.digestedInLastTranslation()).isEqualTo(1);
    assertThat(first).isGreaterThan(8 * 3);
  }

  @Test
  void translate_healthPathComesFromTheConfigNotTheTags() {
    MeshConfig config =
        MeshConfig.parse(
            "services:\n  web: {health_check: {kind: http, path: /healthz}}\n", "mesh.yaml");
    Instance old =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web", "mesh-health-path", "/healthz"))
            .build();
    Instance upgraded =
        vm("vm-2", "10.0.0.2", Map.of("mesh-service", "web", "mesh-health-path", "/v2/healthz"))
            .build();
    Instance upgraded2 =
        vm("vm-3", "10.0.0.3", Map.of("mesh-service", "web", "mesh-health-path", "/v2/healthz"))
            .build();

    Translation before = translator.translate(config, List.of(old), Set.of());
    Translation during = translator.translate(config, List.of(old, upgraded, upgraded2), Set.of());

    Cluster web = during.resources().clusters().get(0);
    assertThat(web.getHealthChecks(0).getHttpHealthCheck().getPath()).isEqualTo("/healthz");
    assertThat(during.resources().clusters()).isEqualTo(before.resources().clusters());
    assertThat(during.resources().versions().clusters())
        .isEqualTo(before.resources().versions().clusters());
  }

  @Test
  void translate_disagreeingHealthPathTagIsAProblemOfThatInstanceOnly() {
    MeshConfig config =
        MeshConfig.parse(
            "services:\n  web: {health_check: {kind: http, path: /healthz}}\n", "mesh.yaml");
    Instance agrees =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web", "mesh-health-path", "/healthz"))
            .build();
    Instance disagrees =
        vm("vm-2", "10.0.0.2", Map.of("mesh-service", "web", "mesh-health-path", "/ready")).build();

    Translation t = translator.translate(config, List.of(agrees, disagrees), Set.of());

    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly(
            "vm-2: tag mesh-health-path is '/ready', not the health-check path of service web;"
                + " the cluster checks '/healthz' (services.web.health_check.path)");
    assertThat(addresses(cla(t.resources(), "web"))).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(t.instances())
        .extracting(InstanceStatus::state)
        .containsExactly(InstanceStatus.State.SERVING, InstanceStatus.State.SERVING);
  }

  @Test
  void translate_httpCheckWithoutPathChecksTheDefaultPathWhateverTheTags() {
    MeshConfig config =
        MeshConfig.parse("services:\n  web: {health_check: {kind: http}}\n", "mesh.yaml");
    Instance a =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web", "mesh-health-path", "/healthz"))
            .build();

    Translation t = translator.translate(config, List.of(a), Set.of());

    assertThat(t.resources().clusters().get(0).getHealthChecks(0).getHttpHealthCheck().getPath())
        .isEqualTo("/");
    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly(
            "vm-1: tag mesh-health-path is '/healthz', not the health-check path of service web;"
                + " the cluster checks '/' (services.web.health_check.path)");
  }

  @Test
  void translate_healthPathTagOnAnUncheckedServiceIsAProblemAndAddsNoCheck() {
    Instance a =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web", "mesh-health-path", "/healthz"))
            .build();

    Translation t = translate(a);

    assertThat(t.resources().clusters().get(0).getHealthChecksList()).isEmpty();
    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly(
            "vm-1: tag mesh-health-path is '/healthz', not the health-check path of service web;"
                + " the cluster has no HTTP health check (service_defaults.health_check.kind is"
                + " none)");
  }

  @Test
  void translate_badHealthPathTagIsAProblem() {
    Instance a =
        vm("vm-1", "10.0.0.1", Map.of("mesh-service", "web", "mesh-health-path", "healthz"))
            .build();

    assertThat(translate(a).problems())
        .extracting(Problem::message)
        .containsExactly("vm-1: tag mesh-health-path is 'healthz', not a path starting with /");
  }

  @Test
  void translate_tagKeysAreConfigurable() {
    MeshConfig config =
        MeshConfig.parse("tags: {service: app, port: app-port, weight: app-weight}\n", "mesh.yaml");
    Instance a =
        vm("a", "10.0.0.1", Map.of("app", "web", "app-port", "9000", "app-weight", "7")).build();

    Translation t = translator.translate(config, List.of(a), Set.of());

    assertThat(t.instances().get(0).endpoints())
        .containsExactly(
            new InstanceStatus.ServiceEndpoint(
                "web", "web", "10.0.0.1", 9000, 7, InstanceStatus.State.SERVING));
  }

  @Test
  void translate_serviceNamedLikeTheGatewayIsAProblem() {
    Translation t = translate(member("vm-1", "10.0.0.1", "gateway"));

    assertThat(t.problems())
        .extracting(Problem::message)
        .containsExactly(
            "vm-1: tag mesh-service is 'gateway', names a gateway listener, not a service");
  }

  private static HttpConnectionManager unpack(Listener listener) {
    try {
      return listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
