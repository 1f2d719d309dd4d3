package io.azmesh.xds.server;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.InstanceStatus.ServiceEndpoint;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates instances into the resources grpc-java's xDS client accepts: per service an API
 * listener with an inline route to an EDS cluster of the same name, and its endpoints from the
 * {@code mesh-service} and {@code mesh-port} tags. Test scope: the production translator lives in
 * xds-translator.
 *
 * @param lbPolicy the clusters' LB policy; grpc-java rejects some, which is how tests cause a NACK
 */
record ProxylessTranslation(Cluster.LbPolicy lbPolicy) implements TranslationFunction {

  static final String SERVICE_TAG = "mesh-service";
  static final String PORT_TAG = "mesh-port";

  static ProxylessTranslation roundRobin() {
    return new ProxylessTranslation(Cluster.LbPolicy.ROUND_ROBIN);
  }

  @Override
  public TranslationResult translate(List<Instance> instances, Set<String> drainingInstanceIds) {
    Map<String, List<LbEndpoint>> byService = new TreeMap<>();
    List<InstanceStatus> statuses = new ArrayList<>();
    for (Instance instance : instances) {
      String service = instance.tags().get(SERVICE_TAG);
      String port = instance.tags().get(PORT_TAG);
      if (service == null || port == null || !instance.powerState().isServing()) {
        statuses.add(
            new InstanceStatus(instance, InstanceStatus.State.EXCLUDED, List.of(), List.of()));
        continue;
      }
      boolean draining = drainingInstanceIds.contains(instance.id());
      int portNumber = Integer.parseInt(port);
      byService
          .computeIfAbsent(service, s -> new ArrayList<>())
          .add(
              LbEndpoint.newBuilder()
                  .setEndpoint(
                      Endpoint.newBuilder()
                          .setAddress(
                              Address.newBuilder()
                                  .setSocketAddress(
                                      SocketAddress.newBuilder()
                                          .setAddress(instance.privateIp())
                                          .setPortValue(portNumber))))
                  .setHealthStatus(draining ? HealthStatus.DRAINING : HealthStatus.HEALTHY)
                  .setLoadBalancingWeight(UInt32Value.of(1))
                  .build());
      statuses.add(
          new InstanceStatus(
              instance,
              draining ? InstanceStatus.State.DRAINING : InstanceStatus.State.SERVING,
              List.of(new ServiceEndpoint(service, service, instance.privateIp(), portNumber, 1)),
              List.of()));
    }
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    byService.forEach(
        (service, endpoints) -> {
          clusters.add(cluster(service));
          assignments.add(assignment(service, endpoints));
          listeners.add(listener(service));
        });
    return new TranslationResult(
        XdsResources.of(clusters, assignments, listeners, List.of()), statuses, List.of());
  }

  private Cluster cluster(String service) {
    return Cluster.newBuilder()
        .setName(service)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(
            Cluster.EdsClusterConfig.newBuilder()
                .setEdsConfig(
                    ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance())
                        .setResourceApiVersion(ApiVersion.V3)))
        .setLbPolicy(lbPolicy)
        .build();
  }

  private static ClusterLoadAssignment assignment(String service, List<LbEndpoint> endpoints) {
    // Sorted so the version depends only on the set of endpoints.
    List<LbEndpoint> sorted =
        endpoints.stream()
            .sorted(
                java.util.Comparator.comparing(
                        (LbEndpoint e) ->
                            e.getEndpoint().getAddress().getSocketAddress().getAddress())
                    .thenComparing(
                        e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue()))
            .toList();
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(service)
        .addEndpoints(
            LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.newBuilder().setRegion("test").setZone("1"))
                .setLoadBalancingWeight(UInt32Value.of(1))
                .addAllLbEndpoints(sorted))
        .build();
  }

  private static Listener listener(String service) {
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .setName(service)
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName(service)
                            .addDomains("*")
                            .addRoutes(
                                Route.newBuilder()
                                    .setMatch(RouteMatch.newBuilder().setPrefix(""))
                                    .setRoute(RouteAction.newBuilder().setCluster(service)))))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(service)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager)))
        .build();
  }
}
