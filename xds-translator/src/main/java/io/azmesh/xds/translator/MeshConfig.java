package io.azmesh.xds.translator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the mesh publishes: how tags map instances to services, how each service is treated, and the
 * gateway listeners in front of them. Read from YAML with {@link #load(Path)}; documented in {@code
 * docs/configuration.md}.
 *
 * @param tags the tag keys that map instances into the mesh
 * @param unlistedServices what happens to a service named by a tag but not listed
 * @param serviceDefaults the settings of adopted (unlisted) services
 * @param services listed services by name
 * @param gateways gateway listeners by name
 */
// The same file carries meshctl's option defaults under "meshctl:"; that section is the CLI's.
@JsonIgnoreProperties({"meshctl"})
public record MeshConfig(
    TagKeys tags,
    UnlistedServices unlistedServices,
    ServicePolicy serviceDefaults,
    SortedMap<String, ServicePolicy> services,
    SortedMap<String, GatewayConfig> gateways) {

  private static final Map<String, GatewayConfig> DEFAULT_GATEWAYS =
      Map.of("gateway", GatewayConfig.DEFAULT);

  public MeshConfig {
    tags = tags == null ? TagKeys.DEFAULT : tags;
    unlistedServices = unlistedServices == null ? UnlistedServices.ADOPT : unlistedServices;
    serviceDefaults = serviceDefaults == null ? ServicePolicy.DEFAULT : serviceDefaults;
    services = sortedCopy(services, "services");
    // No gateways key: the default gateway. An explicit empty map: none (proxyless gRPC only).
    gateways = sortedCopy(gateways == null ? DEFAULT_GATEWAYS : gateways, "gateways");
    for (String name : services.keySet()) {
      ServiceNames.problem(name)
          .ifPresent(
              reason -> {
                throw new InvalidFieldException(
                    List.of("services", name), "'" + name + "' is " + reason);
              });
    }
    Map<String, String> bound = new HashMap<>();
    for (Map.Entry<String, GatewayConfig> entry : gateways.entrySet()) {
      String name = entry.getKey();
      List<String> at = List.of("gateways", name);
      String socket = entry.getValue().address() + ":" + entry.getValue().port();
      String other = bound.putIfAbsent(socket, name);
      if (other != null) {
        throw new InvalidFieldException(
            List.of("gateways", name, "port"),
            "gateway '"
                + other
                + "' already binds "
                + socket
                + "; Envoy rejects a second listener there");
      }
      ServiceNames.problem(name)
          .ifPresent(
              reason -> {
                throw new InvalidFieldException(at, "'" + name + "' is " + reason);
              });
      if (services.containsKey(name)) {
        throw new InvalidFieldException(
            at, "a service has the same name; listener names must be unique");
      }
      GatewayConfig gateway = entry.getValue();
      RouteTargets targets =
          new RouteTargets(services, gateways.keySet(), unlistedServices, serviceDefaults);
      for (int i = 0; i < gateway.routes().size(); i++) {
        targets.require(
            List.of("gateways", name, "routes", Integer.toString(i), "service"),
            gateway.routes().get(i).service());
      }
      gateway
          .defaultService()
          .ifPresent(
              service -> targets.require(List.of("gateways", name, "default_service"), service));
    }
  }

  /** What a gateway route may name: an HTTP service the config admits, never a gateway. */
  private record RouteTargets(
      Map<String, ServicePolicy> services,
      Set<String> gateways,
      UnlistedServices unlisted,
      ServicePolicy defaults) {

    void require(List<String> at, String service) {
      if (gateways.contains(service)) {
        throw new InvalidFieldException(
            at, "'" + service + "' is a gateway; routes lead to services");
      }
      ServicePolicy policy = services.get(service);
      if (policy == null && unlisted == UnlistedServices.REJECT) {
        throw new InvalidFieldException(
            at,
            "service '"
                + service
                + "' is not listed under services, and unlisted_services is reject");
      }
      if (!(policy == null ? defaults : policy).protocol().isHttp()) {
        throw new InvalidFieldException(
            at, "service '" + service + "' speaks tcp; gateways route HTTP only");
      }
    }
  }

  private static <V> SortedMap<String, V> sortedCopy(Map<String, V> map, String field) {
    if (map == null) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, V> copy = new TreeMap<>();
    map.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, field + " key");
          copy.put(k, Objects.requireNonNull(v, field + "." + k));
        });
    return Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The config used without a file (and what an empty file means): default tag keys, every tagged
   * service adopted with default settings, and one gateway {@code gateway} on {@code 0.0.0.0:10000}
   * routing {@code /<service>/} to each HTTP service.
   */
  public static MeshConfig defaults() {
    return new MeshConfig(null, null, null, null, null);
  }

  /** Reads a YAML mesh config; fails naming file, line, field and value. */
  public static MeshConfig load(Path file) {
    return MeshConfigReader.read(file);
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static MeshConfig parse(String yaml, String source) {
    return MeshConfigReader.parse(yaml, source);
  }

  /** The policy of a service named {@code name}, if the config admits it. */
  public Optional<ServicePolicy> policyOf(String name) {
    ServicePolicy listed = services.get(name);
    if (listed != null) {
      return Optional.of(listed);
    }
    return unlistedServices == UnlistedServices.ADOPT
        ? Optional.of(serviceDefaults)
        : Optional.empty();
  }
}
