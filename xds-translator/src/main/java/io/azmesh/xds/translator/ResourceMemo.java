package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.ResourceBytes;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The resources of the last translation by their input. Each resource is a pure function of its
 * key, so reusing one gives the same resource, bytes and version as building it again; reusing the
 * same object also lets {@link ResourceBytes} skip serializing it and {@link XdsValidator} skip
 * validating it. A single-endpoint change thus rebuilds one ClusterLoadAssignment, not 500. Keeps
 * only what the last translation used. Not thread-safe.
 */
final class ResourceMemo {
  private final ResourceBytes bytes = new ResourceBytes();
  private Map<Object, Object> previous = new HashMap<>();
  private Map<Object, Object> current = new HashMap<>();

  private record TagsKey(String instance, Map<String, String> tags, TagKeys keys) {}

  private record TagsOf(TagKeys keys, InstanceTags tags) {}

  private Map<Instance, TagsOf> previousTags = new IdentityHashMap<>();
  private Map<Instance, TagsOf> currentTags = new IdentityHashMap<>();

  private record ClusterKey(String service, ServicePolicy policy) {}

  private record ApiListenerKey(String service, ServicePolicy policy) {}

  private record AssignmentKey(String service, List<PublishedEndpoint> endpoints) {}

  private record GatewayKey(String name, GatewayConfig gateway) {}

  private record RoutesKey(
      String name, GatewayConfig gateway, SortedMap<String, ServicePolicy> services) {}

  /**
   * What {@code instance}'s tags say; a function of its name and tags only. The same instance
   * object (a provider that reuses unchanged instances, as the file provider does) is found by
   * identity, without hashing its tags.
   */
  InstanceTags tags(Instance instance, TagKeys keys) {
    TagsOf known = currentTags.get(instance);
    if (known == null) {
      known = previousTags.get(instance);
    }
    if (known == null || !known.keys().equals(keys)) {
      known =
          new TagsOf(
              keys,
              get(
                  new TagsKey(instance.name(), instance.tags(), keys),
                  () -> InstanceTags.read(instance, keys)));
    }
    currentTags.put(instance, known);
    return known.tags();
  }

  Cluster cluster(String service, ServicePolicy policy) {
    return get(new ClusterKey(service, policy), () -> ServiceCluster.of(service, policy));
  }

  Listener apiListener(String service, ServicePolicy policy) {
    return get(new ApiListenerKey(service, policy), () -> ApiListener.of(service, policy));
  }

  ClusterLoadAssignment assignment(String service, List<PublishedEndpoint> endpoints) {
    return get(
        new AssignmentKey(service, List.copyOf(endpoints)),
        () -> ServiceLoadAssignment.of(service, endpoints));
  }

  Listener gatewayListener(String name, GatewayConfig gateway) {
    return get(new GatewayKey(name, gateway), () -> GatewayListener.of(name, gateway));
  }

  RouteConfiguration gatewayRoutes(
      String name, GatewayConfig gateway, SortedMap<String, ServicePolicy> services) {
    return get(
        new RoutesKey(name, gateway, new TreeMap<>(services)),
        () -> GatewayRoutes.of(name, gateway, services));
  }

  /** The versioned resources; ends the round, forgetting what this translation did not use. */
  XdsResources resources(
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes) {
    XdsResources resources = XdsResources.of(clusters, endpoints, listeners, routes, bytes);
    previous = current;
    current = new HashMap<>();
    previousTags = currentTags;
    currentTags = new IdentityHashMap<>();
    return resources;
  }

  @SuppressWarnings("unchecked") // Each key type maps to one value type, by the methods above.
  private <T> T get(Object key, Supplier<T> build) {
    Object value = current.get(key);
    if (value == null) {
      value = previous.get(key);
      if (value == null) {
        value = build.get();
      }
      current.put(key, value);
    }
    return (T) value;
  }
}
