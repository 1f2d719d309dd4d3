package io.azmesh.xds.translator;

import io.azmesh.discovery.IpLiterals;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An Envoy listener that accepts HTTP traffic and routes it to services.
 *
 * @param address the IP to bind, default {@code 0.0.0.0}
 * @param port the port to bind, default 10000
 * @param routes explicit routes, matched most specific first (longest path prefix per host)
 * @param defaultService the service for requests no route matches; absent answers 404
 * @param autoRoutes routes added for services no explicit route names
 * @param idleTimeout downstream connection idle timeout
 */
public record GatewayConfig(
    String address,
    Integer port,
    List<GatewayRoute> routes,
    Optional<String> defaultService,
    AutoRoutes autoRoutes,
    Duration idleTimeout) {

  /** {@code 0.0.0.0:10000}, routing {@code /<service>/} to every service. */
  public static final GatewayConfig DEFAULT =
      new GatewayConfig(null, null, List.of(), Optional.empty(), AutoRoutes.SERVICE_PREFIX, null);

  public GatewayConfig {
    address = address == null ? "0.0.0.0" : address;
    if (!IpLiterals.isIpLiteral(address)) {
      throw new IllegalArgumentException("address is '" + address + "', not an IP address");
    }
    port = port == null ? 10000 : port;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port is " + port + ", must be in 1..65535");
    }
    routes = routes == null ? List.of() : List.copyOf(routes);
    Set<String> matches = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      GatewayRoute route = routes.get(i);
      String host = route.host().orElse("*");
      if (!matches.add(host + route.pathPrefix())) {
        throw new InvalidFieldException(
            List.of("routes", Integer.toString(i)),
            "a second route for host '" + host + "' and path_prefix '" + route.pathPrefix() + "'");
      }
    }
    defaultService = defaultService == null ? Optional.empty() : defaultService;
    defaultService.ifPresent(s -> ServiceNames.require(s, "default_service"));
    autoRoutes = autoRoutes == null ? AutoRoutes.SERVICE_PREFIX : autoRoutes;
    idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout;
    Durations.requirePositive(idleTimeout, "idle_timeout");
  }

  /** Every service an explicit route or the default names. */
  Set<String> namedServices() {
    Set<String> named = new TreeSet<>();
    routes.forEach(r -> named.add(r.service()));
    defaultService.ifPresent(named::add);
    return named;
  }
}
