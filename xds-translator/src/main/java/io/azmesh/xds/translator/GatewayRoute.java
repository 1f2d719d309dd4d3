package io.azmesh.xds.translator;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One route of a gateway: requests whose host and path match go to a service.
 *
 * @param host the Host header to match (exact, or a {@code *.example.com} wildcard); absent matches
 *     any host
 * @param pathPrefix the path prefix to match, starting with {@code /}; default {@code /}
 * @param service the service that receives the requests
 */
public record GatewayRoute(Optional<String> host, String pathPrefix, String service) {

  public GatewayRoute {
    host = host == null ? Optional.empty() : host;
    host.ifPresent(GatewayRoute::requireHost);
    // Envoy matches hosts ignoring case; one spelling keeps virtual hosts from colliding.
    host = host.map(h -> h.toLowerCase(Locale.ROOT));
    pathPrefix = pathPrefix == null ? "/" : pathPrefix;
    String prefix = pathPrefix;
    HttpPaths.problem(prefix)
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException("path_prefix is '" + prefix + "', " + reason);
            });
    Objects.requireNonNull(service, "service is required");
    ServiceNames.require(service, "service");
  }

  /** A route for any host. */
  public static GatewayRoute of(String pathPrefix, String service) {
    return new GatewayRoute(Optional.empty(), pathPrefix, service);
  }

  /** A route for one host. */
  public static GatewayRoute forHost(String host, String pathPrefix, String service) {
    return new GatewayRoute(Optional.of(host), pathPrefix, service);
  }

  private static void requireHost(String host) {
    String bare = host.startsWith("*.") ? host.substring(2) : host;
    if (!bare.matches(
        "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\\d{1,5})?")) {
      throw new IllegalArgumentException(
          "host is '" + host + "', not a host name such as api.example.com or *.example.com");
    }
  }
}
