package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

/**
 * The listener a proxyless gRPC client resolves for {@code xds:///<service>}: named after the
 * service, with an inline route sending everything to the service's cluster.
 */
final class ApiListener {
  private ApiListener() {}

  static Listener of(String service, ServicePolicy policy) {
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName(service)
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName(service)
                    .addDomains("*")
                    .addRoutes(
                        Route.newBuilder()
                            .setName(service)
                            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRoute(
                                ServiceRouteAction.of(
                                    service, policy, ServiceRouteAction.Caller.PROXYLESS_GRPC))))
            .build();
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(service)
            .setRouteConfig(routes)
            .addHttpFilters(HttpFilters.ROUTER_FILTER)
            .build();
    return Listener.newBuilder()
        .setName(service)
        .setApiListener(
            io.envoyproxy.envoy.config.listener.v3.ApiListener.newBuilder()
                .setApiListener(Any.pack(hcm)))
        .build();
  }
}
