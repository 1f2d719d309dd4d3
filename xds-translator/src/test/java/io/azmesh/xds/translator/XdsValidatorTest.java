package io.azmesh.xds.translator;

import static io.azmesh.xds.translator.TestInstances.member;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.PathConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class XdsValidatorTest {
  private final XdsValidator validator = new XdsValidator();

  /** web (http) and greeter (grpc) behind the default gateway: valid as translated. */
  private static XdsResources translated() {
    MeshConfig config = MeshConfig.parse("services:\n  greeter: {protocol: grpc}\n", "mesh.yaml");
    return new Translator()
        .translate(
            config,
            List.of(member("a", "10.0.0.1", "web"), member("b", "10.0.0.2", "greeter")),
            Set.of())
        .resources();
  }

  private static XdsResources withCluster(String name, UnaryOperator<Cluster.Builder> change) {
    XdsResources r = translated();
    List<Cluster> clusters =
        r.clusters().stream()
            .map(c -> c.getName().equals(name) ? change.apply(c.toBuilder()).build() : c)
            .toList();
    return XdsResources.of(clusters, r.endpoints(), r.listeners(), r.routes());
  }

  private static XdsResources withEndpoints(ClusterLoadAssignment cla) {
    XdsResources r = translated();
    List<ClusterLoadAssignment> endpoints =
        r.endpoints().stream()
            .map(c -> c.getClusterName().equals(cla.getClusterName()) ? cla : c)
            .toList();
    return XdsResources.of(r.clusters(), endpoints, r.listeners(), r.routes());
  }

  private static XdsResources withGatewayManager(
      UnaryOperator<HttpConnectionManager.Builder> change) throws Exception {
    XdsResources r = translated();
    List<Listener> listeners = new java.util.ArrayList<>();
    for (Listener l : r.listeners()) {
      if (l.getName().equals("gateway")) {
        HttpConnectionManager hcm =
            l.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        Listener.Builder b = l.toBuilder();
        b.getFilterChainsBuilder(0)
            .getFiltersBuilder(0)
            .setTypedConfig(Any.pack(change.apply(hcm.toBuilder()).build()));
        listeners.add(b.build());
      } else {
        listeners.add(l);
      }
    }
    return XdsResources.of(r.clusters(), r.endpoints(), listeners, r.routes());
  }

  @Test
  void validate_translatedResourcesAreValid() {
    assertThat(validator.validate(translated())).isEmpty();
  }

  @Test
  void validate_envoyRuleOnAResource() {
    ClusterLoadAssignment web = translated().endpoints().get(1);
    ClusterLoadAssignment.Builder bad = web.toBuilder();
    bad.getEndpointsBuilder(0).getLbEndpointsBuilder(0).setLoadBalancingWeight(UInt32Value.of(0));

    assertThat(validator.validate(withEndpoints(bad.build())))
        .containsExactly(
            "ClusterLoadAssignment web: envoy.config.endpoint.v3.LbEndpoint.load_balancing_weight:"
                + " must be greater than or equal to 1 (value 0, Envoy rule)");
  }

  @Test
  void validate_sameResourcesAgain_reportTheSameViolations() {
    ClusterLoadAssignment web = translated().endpoints().get(1);
    ClusterLoadAssignment.Builder bad = web.toBuilder();
    bad.getEndpointsBuilder(0).getLbEndpointsBuilder(0).setLoadBalancingWeight(UInt32Value.of(0));
    XdsResources resources = withEndpoints(bad.build());

    List<String> first = validator.validate(resources);
    validator.validate(translated());

    assertThat(validator.validate(resources)).isEqualTo(first).hasSize(1);
  }

  @Test
  void validate_sameResourcesWithAnotherResourceGone_findWhatTheyNowMiss() {
    XdsResources all = translated();
    assertThat(validator.validate(all)).isEmpty();
    // The very same cluster and listener objects, without the web assignment: what they refer
    // to is checked again, not remembered from the last validate().
    XdsResources without =
        XdsResources.of(
            all.clusters(),
            all.endpoints().stream().filter(c -> !c.getClusterName().equals("web")).toList(),
            all.listeners(),
            all.routes());

    assertThat(validator.validate(without))
        .anySatisfy(v -> assertThat(v).startsWith("Cluster web: eds_cluster_config.service_name"));
    assertThat(validator.validate(all)).isEmpty();
  }

  @Test
  void validate_envoyRuleInsideAPackedConfig() throws Exception {
    XdsResources bad = withGatewayManager(m -> m.setStatPrefix(""));

    assertThat(validator.validate(bad))
        .containsExactly(
            "Listener gateway: filter_chains[0].filters[0].typed_config"
                + " (envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.stat_prefix):"
                + " length must be at least 1 but got: 0 (value \"\", Envoy rule)");
  }

  @Test
  void validate_gatewayHttp2WindowBelowEnvoysMinimum() throws Exception {
    XdsResources bad =
        withGatewayManager(
            m ->
                m.setHttp2ProtocolOptions(
                    m.getHttp2ProtocolOptions().toBuilder()
                        .setInitialStreamWindowSize(com.google.protobuf.UInt32Value.of(1024))));

    assertThat(validator.validate(bad))
        .containsExactly(
            "Listener gateway: filter_chains[0].filters[0].typed_config"
                + " (envoy.config.core.v3.Http2ProtocolOptions.initial_stream_window_size):"
                + " must be in the range [65535, 2147483647] (value 1024, Envoy rule)");
  }

  @Test
  void validate_localityWithoutWeightIsRejectedForGrpc() {
    ClusterLoadAssignment cla =
        translated().endpoints().get(1).toBuilder()
            .setEndpoints(
                0,
                translated().endpoints().get(1).getEndpoints(0).toBuilder()
                    .clearLoadBalancingWeight())
            .build();

    assertThat(validator.validate(withEndpoints(cla)))
        .containsExactly(
            "ClusterLoadAssignment web: endpoints[0].load_balancing_weight: is not set or 0; grpc-java"
                + " ignores a locality without a weight");
  }

  @Test
  void validate_duplicateAddressInOneClusterLoadAssignment() {
    ClusterLoadAssignment web = translated().endpoints().get(1);
    LbEndpoint first = web.getEndpoints(0).getLbEndpoints(0);
    ClusterLoadAssignment twice =
        web.toBuilder()
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setRegion("westeurope").setZone("2"))
                    .setLoadBalancingWeight(UInt32Value.of(1))
                    .addLbEndpoints(first.toBuilder().setHealthStatus(HealthStatus.DRAINING)))
            .build();

    assertThat(validator.validate(withEndpoints(twice)))
        .containsExactly(
            "ClusterLoadAssignment web: endpoints[1].lb_endpoints[0].endpoint.address: repeats"
                + " 10.0.0.1:80 of endpoints[0].lb_endpoints[0]; one address must be one endpoint");
  }

  @Test
  void validate_routerFilterWithoutTypedConfig() throws Exception {
    XdsResources bad =
        withGatewayManager(
            m -> m.setHttpFilters(0, m.getHttpFilters(0).toBuilder().clearTypedConfig()));

    assertThat(validator.validate(bad))
        .containsExactly(
            "Listener gateway: filter_chains[0].filters[0].typed_config.http_filters[0].typed_config:"
                + " is not set; grpc-java rejects filter envoy.filters.http.router without one");
  }

  @Test
  void validate_configSourceThatIsNotAds() {
    XdsResources bad =
        withCluster(
            "web",
            c ->
                c.setEdsClusterConfig(
                    c.getEdsClusterConfig().toBuilder()
                        .setEdsConfig(
                            ConfigSource.newBuilder()
                                .setPathConfigSource(
                                    PathConfigSource.newBuilder().setPath("/eds.yaml"))
                                .setResourceApiVersion(
                                    io.envoyproxy.envoy.config.core.v3.ApiVersion.V3))));

    assertThat(validator.validate(bad))
        .containsExactly(
            "Cluster web: eds_cluster_config.eds_config: is not ads; every resource comes over the"
                + " one ADS stream");
  }

  @Test
  void validate_routeWithoutAction() {
    XdsResources r = translated();
    RouteConfiguration routes = r.routes().get(0);
    RouteConfiguration.Builder b = routes.toBuilder();
    b.getVirtualHostsBuilder(0).getRoutesBuilder(0).clearRoute();
    XdsResources bad =
        XdsResources.of(r.clusters(), r.endpoints(), r.listeners(), List.of(b.build()));

    assertThat(validator.validate(bad))
        .containsExactly(
            "RouteConfiguration gateway: envoy.config.route.v3.Route.action: is required (value"
                + " null, Envoy rule)",
            "RouteConfiguration gateway: virtual_hosts[0].routes[0].route: is not set; grpc-java"
                + " rejects a route without a route action");
  }

  @Test
  void validate_randomLbPolicyOnAProxylessCluster() {
    XdsResources bad = withCluster("greeter", c -> c.setLbPolicy(Cluster.LbPolicy.RANDOM));

    assertThat(validator.validate(bad))
        .containsExactly(
            "Cluster greeter: lb_policy: is RANDOM, which grpc-java rejects (use ROUND_ROBIN,"
                + " LEAST_REQUEST or RING_HASH)");
  }

  @Test
  void validate_reportsEveryViolationAtOnce() {
    XdsResources r = withCluster("web", c -> c.setLbPolicy(Cluster.LbPolicy.RANDOM));
    ClusterLoadAssignment noWeight =
        r.endpoints().get(0).toBuilder()
            .setEndpoints(
                0,
                r.endpoints().get(0).getEndpoints(0).toBuilder()
                    .setLoadBalancingWeight(UInt32Value.of(0)))
            .build();
    XdsResources bad =
        XdsResources.of(
            r.clusters(), List.of(noWeight, r.endpoints().get(1)), r.listeners(), List.of());

    assertThat(validator.validate(bad))
        .containsExactly(
            "ClusterLoadAssignment greeter:"
                + " envoy.config.endpoint.v3.LocalityLbEndpoints.load_balancing_weight: must be"
                + " greater than or equal to 1 (value 0, Envoy rule)",
            "ClusterLoadAssignment greeter: endpoints[0].load_balancing_weight: is not set or 0;"
                + " grpc-java ignores a locality without a weight",
            "Listener gateway: filter_chains[0].filters[0].typed_config.rds.route_config_name:"
                + " names RouteConfiguration gateway, which is missing",
            "Cluster web: lb_policy: is RANDOM, which grpc-java rejects (use ROUND_ROBIN,"
                + " LEAST_REQUEST or RING_HASH)");
  }

  @Test
  void validate_duplicateDomainsInOneRouteConfiguration() {
    XdsResources r = translated();
    RouteConfiguration.Builder routes = r.routes().get(0).toBuilder();
    routes.addVirtualHosts(routes.getVirtualHosts(0).toBuilder().setName("again"));
    XdsResources bad =
        XdsResources.of(r.clusters(), r.endpoints(), r.listeners(), List.of(routes.build()));

    assertThat(validator.validate(bad))
        .containsExactly(
            "RouteConfiguration gateway: virtual_hosts[1].domains: repeats '*' of virtual host"
                + " any_host; Envoy requires unique domains");
  }

  @Test
  void validate_duplicateVirtualHostNames() {
    XdsResources r = translated();
    RouteConfiguration.Builder routes = r.routes().get(0).toBuilder();
    routes.addVirtualHosts(
        routes.getVirtualHosts(0).toBuilder().clearDomains().addDomains("example.com"));
    XdsResources bad =
        XdsResources.of(r.clusters(), r.endpoints(), r.listeners(), List.of(routes.build()));

    assertThat(validator.validate(bad))
        .containsExactly(
            "RouteConfiguration gateway: virtual_hosts[1].name: repeats 'any_host'; Envoy requires"
                + " unique virtual host names");
  }

  @Test
  void validate_twoListenersOnOneSocket() {
    XdsResources r = translated();
    List<Listener> listeners = new java.util.ArrayList<>(r.listeners());
    listeners.add(
        r.listeners().stream()
            .filter(l -> l.getName().equals("gateway"))
            .findFirst()
            .orElseThrow()
            .toBuilder()
            .setName("gateway2")
            .build());
    XdsResources bad = XdsResources.of(r.clusters(), r.endpoints(), listeners, r.routes());

    assertThat(validator.validate(bad))
        .containsExactly(
            "Listener gateway2: address: binds 0.0.0.0:10000 like listener gateway; Envoy rejects"
                + " the second");
  }

  @Test
  void validate_staticBootstrapPassesEnvoyRules() throws Exception {
    var bootstrap = StaticBootstrap.of(translated());
    io.envoyproxy.pgv.ReflectiveValidatorIndex index =
        new io.envoyproxy.pgv.ReflectiveValidatorIndex();

    index.validatorFor(bootstrap.getClass()).assertValid(bootstrap);

    assertThat(bootstrap.getStaticResources().getClustersList())
        .allMatch(c -> c.getType() == Cluster.DiscoveryType.STATIC);
    assertThat(bootstrap.getStaticResources().getListenersList())
        .extracting(Listener::getName)
        .containsExactly("gateway");
  }
}
