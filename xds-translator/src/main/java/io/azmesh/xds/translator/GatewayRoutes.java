package io.azmesh.xds.translator;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The route configuration of a gateway, named after it: one virtual host per configured host plus
 * {@code *}, routes ordered longest path prefix first, the default service last in every host.
 */
final class GatewayRoutes {
  /** The virtual host for requests whose host no route names. */
  static final String ANY_HOST = "*";

  /** Its name: host names cannot contain '_', so no configured host can take it. */
  static final String ANY_HOST_NAME = "any_host";

  private GatewayRoutes() {}

  /**
   * @param services every service of the mesh with its policy; routes only name services in it
   */
  static RouteConfiguration of(
      String name, GatewayConfig gateway, SortedMap<String, ServicePolicy> services) {
    SortedMap<String, List<RouteSpec>> byHost = new TreeMap<>();
    byHost.put(ANY_HOST, new ArrayList<>());
    for (GatewayRoute route : gateway.routes()) {
      byHost
          .computeIfAbsent(route.host().orElse(ANY_HOST), h -> new ArrayList<>())
          .add(new RouteSpec(route.pathPrefix(), route.service(), Optional.empty()));
    }
    if (gateway.autoRoutes() == AutoRoutes.SERVICE_PREFIX) {
      Set<String> named = gateway.namedServices();
      services.forEach(
          (service, policy) -> {
            if (policy.protocol().isHttp() && !named.contains(service)) {
              byHost
                  .get(ANY_HOST)
                  .add(new RouteSpec("/" + service + "/", service, Optional.of("/")));
            }
          });
    }
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(name);
    // "*" last: Envoy matches exact hosts before wildcards anyway, this keeps the output readable.
    for (Map.Entry<String, List<RouteSpec>> host : byHost.entrySet()) {
      if (!host.getKey().equals(ANY_HOST)) {
        config.addVirtualHosts(virtualHost(host.getKey(), host.getValue(), gateway, services));
      }
    }
    config.addVirtualHosts(virtualHost(ANY_HOST, byHost.get(ANY_HOST), gateway, services));
    return config.build();
  }

  private static VirtualHost virtualHost(
      String host,
      List<RouteSpec> specs,
      GatewayConfig gateway,
      SortedMap<String, ServicePolicy> services) {
    VirtualHost.Builder vhost =
        VirtualHost.newBuilder()
            .setName(host.equals(ANY_HOST) ? ANY_HOST_NAME : host)
            .addDomains(host);
    specs.stream()
        .sorted(
            Comparator.comparingInt((RouteSpec r) -> -r.pathPrefix().length())
                .thenComparing(RouteSpec::pathPrefix))
        .forEach(spec -> vhost.addRoutes(route(spec, services)));
    gateway
        .defaultService()
        .ifPresent(
            service ->
                vhost.addRoutes(route(new RouteSpec("/", service, Optional.empty()), services)));
    return vhost.build();
  }

  private static Route route(RouteSpec spec, SortedMap<String, ServicePolicy> services) {
    ServicePolicy policy = services.get(spec.service());
    if (policy == null) {
      throw new IllegalStateException("route to unknown service " + spec.service());
    }
    var action = ServiceRouteAction.of(spec.service(), policy, ServiceRouteAction.Caller.GATEWAY);
    spec.prefixRewrite().ifPresent(action::setPrefixRewrite);
    return Route.newBuilder()
        .setName(spec.service() + ":" + spec.pathPrefix())
        .setMatch(RouteMatch.newBuilder().setPrefix(spec.pathPrefix()))
        .setRoute(action)
        .build();
  }

  private record RouteSpec(String pathPrefix, String service, Optional<String> prefixRewrite) {}
}
