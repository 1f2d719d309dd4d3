package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A complete Envoy bootstrap with everything in {@code static_resources}, for running Envoy without
 * a control plane: EDS clusters become STATIC with their endpoints inline, RDS routes are inlined
 * into the connection managers, and API listeners (only for proxyless gRPC clients) are left out.
 */
public final class StaticBootstrap {
  /** Admin interface on loopback only: it can change Envoy's state. */
  static final int ADMIN_PORT = 9901;

  private StaticBootstrap() {}

  public static Bootstrap of(XdsResources resources) {
    Map<String, ClusterLoadAssignment> endpoints =
        resources.endpoints().stream()
            .collect(Collectors.toMap(ClusterLoadAssignment::getClusterName, Function.identity()));
    Map<String, RouteConfiguration> routes =
        resources.routes().stream()
            .collect(Collectors.toMap(RouteConfiguration::getName, Function.identity()));
    Bootstrap.StaticResources.Builder statics = Bootstrap.StaticResources.newBuilder();
    for (Cluster cluster : resources.clusters()) {
      statics.addClusters(
          cluster.toBuilder()
              .clearEdsClusterConfig()
              .setType(Cluster.DiscoveryType.STATIC)
              .setLoadAssignment(
                  endpoints.getOrDefault(
                      cluster.getName(),
                      ClusterLoadAssignment.newBuilder()
                          .setClusterName(cluster.getName())
                          .build())));
    }
    for (Listener listener : resources.listeners()) {
      if (!listener.hasApiListener()) {
        statics.addListeners(inlineRoutes(listener, routes));
      }
    }
    return Bootstrap.newBuilder()
        .setNode(Node.newBuilder().setId("azmesh-static").setCluster("azmesh"))
        .setAdmin(
            Admin.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder()
                                .setAddress("127.0.0.1")
                                .setPortValue(ADMIN_PORT))))
        .setStaticResources(statics)
        .build();
  }

  private static Listener inlineRoutes(Listener listener, Map<String, RouteConfiguration> routes) {
    Listener.Builder copy = listener.toBuilder();
    for (FilterChain.Builder chain : copy.getFilterChainsBuilderList()) {
      for (Filter.Builder filter : chain.getFiltersBuilderList()) {
        if (!filter.getTypedConfig().is(HttpConnectionManager.class)) {
          continue;
        }
        HttpConnectionManager hcm = unpack(filter.getTypedConfig());
        if (hcm.hasRds()) {
          String name = hcm.getRds().getRouteConfigName();
          RouteConfiguration config = routes.get(name);
          if (config == null) {
            throw new IllegalArgumentException(
                "listener "
                    + listener.getName()
                    + " uses route configuration "
                    + name
                    + ", which is missing");
          }
          filter.setTypedConfig(
              Any.pack(hcm.toBuilder().clearRds().setRouteConfig(config).build()));
        }
      }
    }
    return copy.build();
  }

  private static HttpConnectionManager unpack(Any any) {
    try {
      return any.unpack(HttpConnectionManager.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("a listener holds a broken HttpConnectionManager", e);
    }
  }
}
