package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.pgv.ReflectiveValidatorIndex;
import io.envoyproxy.pgv.ValidationException;
import io.envoyproxy.pgv.ValidatorIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks resources before they are published, so that no Envoy or gRPC client ever NACKs them.
 *
 * <p>Three layers: Envoy's own protoc-gen-validate rules (generated at build time from the api
 * protos) on every resource and on every config packed in an {@code Any}, which those validators do
 * not open; the rules grpc-java's xDS client adds; and what Envoy checks across resources
 * (references, unique domains, one listener per socket). Each line names the resource type, the
 * resource, the field and the rule. PGV's Java validators stop at the first violation of a message,
 * so a resource reports at most one PGV violation (plus one per packed config); every other rule
 * reports all its violations.
 */
public final class XdsValidator {
  /** grpc-java's upper bound for ring sizes. */
  static final long GRPC_MAX_RING_SIZE = 8L * 1024 * 1024;

  private static final Set<Cluster.LbPolicy> GRPC_LB_POLICIES =
      Set.of(
          Cluster.LbPolicy.ROUND_ROBIN, Cluster.LbPolicy.LEAST_REQUEST, Cluster.LbPolicy.RING_HASH);

  private final ValidatorIndex index = new ReflectiveValidatorIndex();

  // What each resource's own rules found in the last validate(), by identity: a translator that
  // reuses unchanged resources (Translator does) has only the changed ones walked again. The
  // rules are a pure function of the resource, so the result is the same as walking it again.
  private final Findings ownRules = new Findings();
  // What each resource's rules across resources found; they depend on the resource and the names
  // of the others, so they are reused only while those names are the same.
  private final Findings crossRules = new Findings();
  private Names lastNames;

  /**
   * What rules found per resource object in the last validate(): its violations and what the rules
   * return; what this validate() does not ask for again is forgotten.
   */
  private static final class Findings {
    private record Found(List<String> violations, List<String> result) {}

    private Map<Message, Found> last = new IdentityHashMap<>();
    private Map<Message, Found> now = new IdentityHashMap<>();

    /**
     * Runs {@code rules} on {@code resource}, reporting into {@code at}, unless {@code reuse} and
     * the last validate() ran them on this very object; then reports what they found then.
     */
    List<String> of(Subject at, Message resource, boolean reuse, Supplier<List<String>> rules) {
      Found found = reuse ? last.get(resource) : null;
      if (found == null) {
        int before = at.violations().size();
        List<String> result = rules.get();
        found =
            new Found(
                List.copyOf(at.violations().subList(before, at.violations().size())),
                List.copyOf(result));
      } else {
        at.violations().addAll(found.violations());
      }
      now.put(resource, found);
      return found.result();
    }

    void endRound() {
      last = now;
      now = new IdentityHashMap<>();
    }
  }

  /** Every violation found; empty means the resources may be published. */
  public synchronized List<String> validate(XdsResources resources) {
    List<String> violations = new ArrayList<>();
    Names names = Names.of(resources);
    boolean sameNames = names.equals(lastNames);
    for (Cluster cluster : resources.clusters()) {
      Subject at = new Subject("Cluster", cluster.getName(), violations);
      envoyRules(at, cluster);
      across(
          at,
          cluster,
          sameNames,
          () -> {
            clusterRules(at, cluster, names.assignments());
            return List.of();
          });
    }
    for (ClusterLoadAssignment cla : resources.endpoints()) {
      endpointRules(
          new Subject("ClusterLoadAssignment", cla.getClusterName(), violations), cla, names);
    }
    Set<String> proxylessClusters = new HashSet<>();
    Map<String, String> bound = new HashMap<>();
    for (Listener listener : resources.listeners()) {
      Subject at = new Subject("Listener", listener.getName(), violations);
      envoyRules(at, listener);
      socketRules(at, listener, bound);
      proxylessClusters.addAll(
          across(at, listener, sameNames, () -> listenerRules(at, listener, names)));
    }
    for (RouteConfiguration routes : resources.routes()) {
      Subject at = new Subject("RouteConfiguration", routes.getName(), violations);
      envoyRules(at, routes);
      across(
          at,
          routes,
          sameNames,
          () -> {
            routeRules(at, "", routes, names.clusters());
            return List.of();
          });
    }
    for (Cluster cluster : resources.clusters()) {
      if (proxylessClusters.contains(cluster.getName())) {
        grpcClusterRules(new Subject("Cluster", cluster.getName(), violations), cluster);
      }
    }
    ownRules.endRound();
    crossRules.endRound();
    lastNames = names;
    return List.copyOf(violations);
  }

  private void endpointRules(Subject at, ClusterLoadAssignment cla, Names names) {
    remembered(at, cla, () -> ownEndpointRules(at, cla));
    if (!names.clusters().contains(cla.getClusterName())) {
      at.add("cluster_name", "names no cluster");
    }
  }

  /** The rules a ClusterLoadAssignment must keep whatever else is in the snapshot. */
  private void ownEndpointRules(Subject at, ClusterLoadAssignment cla) {
    pgv(at, "", cla);
    packedConfigs(at, "", cla);
    for (int i = 0; i < cla.getEndpointsCount(); i++) {
      LocalityLbEndpoints locality = cla.getEndpoints(i);
      if (!locality.hasLoadBalancingWeight() || locality.getLoadBalancingWeight().getValue() == 0) {
        at.add(
            "endpoints[" + i + "].load_balancing_weight",
            "is not set or 0; grpc-java ignores a locality without a weight");
      }
    }
    Map<String, String> addresses = new HashMap<>();
    for (int i = 0; i < cla.getEndpointsCount(); i++) {
      List<LbEndpoint> endpoints = cla.getEndpoints(i).getLbEndpointsList();
      for (int j = 0; j < endpoints.size(); j++) {
        if (!endpoints.get(j).getEndpoint().getAddress().hasSocketAddress()) {
          continue;
        }
        SocketAddress socket = endpoints.get(j).getEndpoint().getAddress().getSocketAddress();
        String address = socket.getAddress() + ":" + socket.getPortValue();
        String where = "endpoints[" + i + "].lb_endpoints[" + j + "]";
        String first = addresses.putIfAbsent(address, where);
        if (first != null) {
          // Envoy keeps one host per address: which entry wins (draining or not) is undefined.
          at.add(
              where + ".endpoint.address",
              "repeats " + address + " of " + first + "; one address must be one endpoint");
        }
      }
    }
  }

  private static void socketRules(Subject at, Listener listener, Map<String, String> bound) {
    if (listener.hasAddress() && listener.getAddress().hasSocketAddress()) {
      var socket = listener.getAddress().getSocketAddress();
      String key = socket.getAddress() + ":" + socket.getPortValue();
      String other = bound.putIfAbsent(key, listener.getName());
      if (other != null) {
        at.add(
            "address", "binds " + key + " like listener " + other + "; Envoy rejects the second");
      }
    }
  }

  /** Checks the listener's connection managers; returns the clusters its API listener routes to. */
  private List<String> listenerRules(Subject at, Listener listener, Names names) {
    List<String> proxylessClusters = new ArrayList<>();
    if (listener.hasApiListener()) {
      String field = "api_listener.api_listener";
      connectionManager(at, field, listener.getApiListener().getApiListener())
          .ifPresent(
              m -> {
                connectionManagerRules(at, field, m, names);
                if (m.hasRouteConfig()) {
                  proxylessClusters.addAll(routeClusters(m.getRouteConfig()));
                }
              });
    }
    for (int c = 0; c < listener.getFilterChainsCount(); c++) {
      var chain = listener.getFilterChains(c);
      for (int f = 0; f < chain.getFiltersCount(); f++) {
        Any config = chain.getFilters(f).getTypedConfig();
        String field = "filter_chains[" + c + "].filters[" + f + "].typed_config";
        if (config.is(HttpConnectionManager.class)) {
          connectionManager(at, field, config)
              .ifPresent(m -> connectionManagerRules(at, field, m, names));
        }
      }
    }
    return proxylessClusters;
  }

  /** Envoy's PGV rules on the resource, then on every {@code Any} inside it, recursively. */
  private void envoyRules(Subject at, Message message) {
    remembered(
        at,
        message,
        () -> {
          pgv(at, "", message);
          packedConfigs(at, "", message);
        });
  }

  /**
   * Runs {@code rules}, which depend on {@code resource} alone, unless they ran on it last time.
   */
  private void remembered(Subject at, Message resource, Runnable rules) {
    ownRules.of(
        at,
        resource,
        true,
        () -> {
          rules.run();
          return List.of();
        });
  }

  /**
   * Runs {@code rules} across resources, which depend on {@code resource} and the names of the
   * others, unless they ran on it last time with the same names.
   */
  private List<String> across(
      Subject at, Message resource, boolean sameNames, Supplier<List<String>> rules) {
    return crossRules.of(at, resource, sameNames, rules);
  }

  private void pgv(Subject at, String field, Message message) {
    try {
      index.validatorFor(message.getClass()).assertValid(message);
    } catch (ValidationException e) {
      String rule = e.getField().startsWith(".") ? e.getField().substring(1) : e.getField();
      at.add(
          field.isEmpty() ? rule : field + " (" + rule + ")",
          e.getReason()
              + " (value "
              + String.valueOf(e.getValue()).strip().replace('\n', ' ')
              + ", Envoy rule)");
    }
  }

  private void packedConfigs(Subject at, String path, Message message) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
      if (field.isMapField()) {
        for (Object item : (List<?>) entry.getValue()) {
          Message mapEntry = (Message) item;
          Object key = mapEntry.getField(mapEntry.getDescriptorForType().findFieldByName("key"));
          Object value =
              mapEntry.getField(mapEntry.getDescriptorForType().findFieldByName("value"));
          if (value instanceof Message m) {
            visit(at, name + "[" + key + "]", m);
          }
        }
      } else if (field.isRepeated()) {
        List<?> items = (List<?>) entry.getValue();
        for (int i = 0; i < items.size(); i++) {
          visit(at, name + "[" + i + "]", (Message) items.get(i));
        }
      } else {
        visit(at, name, (Message) entry.getValue());
      }
    }
  }

  private void visit(Subject at, String path, Message message) {
    if (message instanceof Any any) {
      try {
        Optional<Message> packed = EnvoyTypes.unpack(any);
        if (packed.isEmpty()) {
          at.add(path, "holds " + any.getTypeUrl() + ", a type the translator does not know");
          return;
        }
        pgv(at, path, packed.get());
        packedConfigs(at, path, packed.get());
      } catch (InvalidProtocolBufferException e) {
        at.add(path, "holds bytes that are not a valid " + any.getTypeUrl());
      }
    } else {
      packedConfigs(at, path, message);
    }
  }

  private static void clusterRules(Subject at, Cluster cluster, Set<String> assignments) {
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      at.add("type", "is " + cluster.getType() + "; endpoints are served over EDS");
      return;
    }
    requireAds(at, "eds_cluster_config.eds_config", cluster.getEdsClusterConfig().getEdsConfig());
    String serviceName =
        cluster.getEdsClusterConfig().getServiceName().isEmpty()
            ? cluster.getName()
            : cluster.getEdsClusterConfig().getServiceName();
    if (!assignments.contains(serviceName)) {
      at.add(
          "eds_cluster_config.service_name",
          "names ClusterLoadAssignment " + serviceName + ", which is missing");
    }
  }

  private static void grpcClusterRules(Subject at, Cluster cluster) {
    if (!GRPC_LB_POLICIES.contains(cluster.getLbPolicy())) {
      at.add(
          "lb_policy",
          "is "
              + cluster.getLbPolicy()
              + ", which grpc-java rejects (use ROUND_ROBIN, LEAST_REQUEST or RING_HASH)");
    }
    if (cluster.getLbPolicy() == Cluster.LbPolicy.RING_HASH) {
      Cluster.RingHashLbConfig ring = cluster.getRingHashLbConfig();
      if (ring.getHashFunction() != Cluster.RingHashLbConfig.HashFunction.XX_HASH) {
        at.add(
            "ring_hash_lb_config.hash_function",
            "is " + ring.getHashFunction() + ", grpc-java supports XX_HASH only");
      }
      long min = ring.hasMinimumRingSize() ? ring.getMinimumRingSize().getValue() : 1024;
      long max =
          ring.hasMaximumRingSize() ? ring.getMaximumRingSize().getValue() : GRPC_MAX_RING_SIZE;
      if (min > max || max > GRPC_MAX_RING_SIZE) {
        at.add(
            "ring_hash_lb_config",
            "ring sizes "
                + min
                + ".."
                + max
                + " must satisfy minimum <= maximum <= "
                + GRPC_MAX_RING_SIZE
                + " for grpc-java");
      }
    }
  }

  private Optional<HttpConnectionManager> connectionManager(Subject at, String field, Any config) {
    if (!config.is(HttpConnectionManager.class)) {
      at.add(field, "holds " + config.getTypeUrl() + ", not an HttpConnectionManager");
      return Optional.empty();
    }
    try {
      return Optional.of(config.unpack(HttpConnectionManager.class));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty(); // reported by the packed-config walk
    }
  }

  private static void connectionManagerRules(
      Subject at, String field, HttpConnectionManager hcm, Names names) {
    if (hcm.getHttpFiltersCount() == 0) {
      at.add(field + ".http_filters", "is empty; the last filter must be the router");
    }
    for (int i = 0; i < hcm.getHttpFiltersCount(); i++) {
      HttpFilter filter = hcm.getHttpFilters(i);
      if (!filter.hasTypedConfig()) {
        at.add(
            field + ".http_filters[" + i + "].typed_config",
            "is not set; grpc-java rejects filter " + filter.getName() + " without one");
      }
    }
    if (hcm.getHttpFiltersCount() > 0
        && !hcm.getHttpFilters(hcm.getHttpFiltersCount() - 1)
            .getName()
            .equals(HttpFilters.ROUTER)) {
      at.add(field + ".http_filters", "must end with " + HttpFilters.ROUTER);
    }
    switch (hcm.getRouteSpecifierCase()) {
      case RDS -> {
        requireAds(at, field + ".rds.config_source", hcm.getRds().getConfigSource());
        if (!names.routeConfigs().contains(hcm.getRds().getRouteConfigName())) {
          at.add(
              field + ".rds.route_config_name",
              "names RouteConfiguration "
                  + hcm.getRds().getRouteConfigName()
                  + ", which is missing");
        }
      }
      case ROUTE_CONFIG ->
          routeRules(at, field + ".route_config.", hcm.getRouteConfig(), names.clusters());
      default -> at.add(field, "has neither rds nor route_config");
    }
  }

  private static void routeRules(
      Subject at, String prefix, RouteConfiguration config, Set<String> clusters) {
    Map<String, String> domains = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (int v = 0; v < config.getVirtualHostsCount(); v++) {
      VirtualHost host = config.getVirtualHosts(v);
      if (!names.add(host.getName())) {
        at.add(
            prefix + "virtual_hosts[" + v + "].name",
            "repeats '" + host.getName() + "'; Envoy requires unique virtual host names");
      }
      for (String domain : host.getDomainsList()) {
        String other = domains.putIfAbsent(domain.toLowerCase(Locale.ROOT), host.getName());
        if (other != null) {
          at.add(
              prefix + "virtual_hosts[" + v + "].domains",
              "repeats '"
                  + domain
                  + "' of virtual host "
                  + other
                  + "; Envoy requires unique domains");
        }
      }
    }
    for (int v = 0; v < config.getVirtualHostsCount(); v++) {
      VirtualHost host = config.getVirtualHosts(v);
      for (int r = 0; r < host.getRoutesCount(); r++) {
        Route route = host.getRoutes(r);
        String field = prefix + "virtual_hosts[" + v + "].routes[" + r + "]";
        if (!route.hasRoute()) {
          at.add(field + ".route", "is not set; grpc-java rejects a route without a route action");
        } else if (route.getRoute().getCluster().isEmpty()) {
          at.add(field + ".route.cluster", "is not set; every route names its service's cluster");
        } else if (!clusters.contains(route.getRoute().getCluster())) {
          at.add(
              field + ".route.cluster",
              "names cluster " + route.getRoute().getCluster() + ", which is missing");
        }
      }
    }
  }

  private static void requireAds(Subject at, String field, ConfigSource source) {
    if (!source.hasAds()) {
      at.add(field, "is not ads; every resource comes over the one ADS stream");
    }
    if (source.getResourceApiVersion() != io.envoyproxy.envoy.config.core.v3.ApiVersion.V3) {
      at.add(
          field + ".resource_api_version", "is " + source.getResourceApiVersion() + ", must be V3");
    }
  }

  private static List<String> routeClusters(RouteConfiguration config) {
    return config.getVirtualHostsList().stream()
        .flatMap(v -> v.getRoutesList().stream())
        .filter(Route::hasRoute)
        .map(r -> r.getRoute().getCluster())
        .toList();
  }

  /** The names resources refer to each other by. */
  private record Names(Set<String> clusters, Set<String> assignments, Set<String> routeConfigs) {
    static Names of(XdsResources resources) {
      return new Names(
          resources.clusters().stream().map(Cluster::getName).collect(Collectors.toSet()),
          resources.endpoints().stream()
              .map(ClusterLoadAssignment::getClusterName)
              .collect(Collectors.toSet()),
          resources.routes().stream().map(RouteConfiguration::getName).collect(Collectors.toSet()));
    }
  }

  /** Where violations are reported: a resource type and name. */
  private record Subject(String type, String name, List<String> violations) {
    void add(String field, String rule) {
      violations.add(type + " " + name + ": " + field + ": " + rule);
    }
  }
}
