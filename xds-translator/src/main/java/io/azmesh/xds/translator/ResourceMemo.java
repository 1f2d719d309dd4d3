package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.EndpointCounts;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.ResourceDigests;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The resources of the last translation by their input. Each resource is a pure function of its
 * key, so reusing one gives the same resource, bytes and version as building it again; reusing the
 * same object also lets {@link ResourceDigests} skip serializing and hashing it and {@link
 * XdsValidator} skip validating it. A single-endpoint change thus rebuilds one
 * ClusterLoadAssignment, not 500. Keeps only what the last translation used. Not thread-safe.
 */
final class ResourceMemo {
  private final ResourceDigests digests = new ResourceDigests();
  private final Rounds<Object, Object> built = new Rounds<>(size -> new HashMap<>(size * 2));

  private record TagsKey(String instance, Map<String, String> tags, TagKeys keys) {}

  private record TagsOf(TagKeys keys, InstanceTags tags) {}

  private final Rounds<Instance, TagsOf> tagsByInstance = new Rounds<>(IdentityHashMap::new);

  // A ServicePolicy is a deep record that Java hashes anew on every call, and the same policy
  // object (the config's) keys many resources in every translation; its hash is kept by identity.
  private final Rounds<ServicePolicy, Integer> policyHashes = new Rounds<>(IdentityHashMap::new);

  private record ClusterKey(String service, ServicePolicy policy, int policyHash) {
    @Override
    public int hashCode() {
      return 31 * service.hashCode() + policyHash;
    }
  }

  private record ApiListenerKey(String service, ServicePolicy policy, int policyHash) {
    @Override
    public int hashCode() {
      return 31 * service.hashCode() + policyHash;
    }
  }

  private record AssignmentKey(String service, List<PublishedEndpoint> endpoints) {}

  private record GatewayKey(String name, GatewayConfig gateway) {}

  /** The services in name order with their policies, compared element by element. */
  private record RoutesKey(
      String name,
      GatewayConfig gateway,
      List<String> services,
      List<ServicePolicy> policies,
      int hash) {
    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * What {@code instance}'s tags say; a function of its name and tags only. The same instance
   * object (a provider that reuses unchanged instances, as the file provider does) is found by
   * identity, without hashing its tags.
   */
  InstanceTags tags(Instance instance, TagKeys keys) {
    TagsOf known = tagsByInstance.get(instance);
    if (known == null || !known.keys().equals(keys)) {
      known =
          new TagsOf(
              keys,
              get(
                  new TagsKey(instance.name(), instance.tags(), keys),
                  () -> InstanceTags.read(instance, keys)));
      tagsByInstance.put(instance, known);
    }
    return known.tags();
  }

  Cluster cluster(String service, ServicePolicy policy) {
    return get(
        new ClusterKey(service, policy, policyHash(policy)),
        () -> ServiceCluster.of(service, policy));
  }

  Listener apiListener(String service, ServicePolicy policy) {
    return get(
        new ApiListenerKey(service, policy, policyHash(policy)),
        () -> ApiListener.of(service, policy));
  }

  /**
   * A service's ClusterLoadAssignment, and how many endpoints serve and drain in it (empty when it
   * has none), counted before the assignment keeps one endpoint per address, as the statuses list
   * them.
   */
  record Assignment(ClusterLoadAssignment resource, Optional<EndpointCounts> counts) {}

  /** Builds and counts only a service whose endpoints changed since the last translation. */
  Assignment assignment(String service, List<PublishedEndpoint> endpoints) {
    return get(
        new AssignmentKey(service, List.copyOf(endpoints)),
        () ->
            new Assignment(
                ServiceLoadAssignment.of(service, endpoints), counts(service, endpoints)));
  }

  private static Optional<EndpointCounts> counts(
      String service, List<PublishedEndpoint> endpoints) {
    int serving = 0;
    for (PublishedEndpoint endpoint : endpoints) {
      if (endpoint.state() == InstanceStatus.State.SERVING) {
        serving++;
      }
    }
    return endpoints.isEmpty()
        ? Optional.empty()
        : Optional.of(new EndpointCounts(service, serving, endpoints.size() - serving));
  }

  Listener gatewayListener(String name, GatewayConfig gateway) {
    return get(new GatewayKey(name, gateway), () -> GatewayListener.of(name, gateway));
  }

  RouteConfiguration gatewayRoutes(
      String name, GatewayConfig gateway, SortedMap<String, ServicePolicy> services) {
    List<String> names = new ArrayList<>(services.size());
    List<ServicePolicy> policies = new ArrayList<>(services.size());
    int hash = 31 * name.hashCode() + gateway.hashCode();
    for (Map.Entry<String, ServicePolicy> service : services.entrySet()) {
      names.add(service.getKey());
      policies.add(service.getValue());
      hash = 31 * (31 * hash + service.getKey().hashCode()) + policyHash(service.getValue());
    }
    return get(
        new RoutesKey(name, gateway, names, policies, hash),
        () -> GatewayRoutes.of(name, gateway, services));
  }

  private int policyHash(ServicePolicy policy) {
    return policyHashes.computeIfAbsent(policy, ServicePolicy::hashCode);
  }

  /** How many resources the last {@link #resources} call serialized and hashed. */
  int digestedInLastCall() {
    return digests.digestedInLastCall();
  }

  /** The versioned resources; ends the round, forgetting what this translation did not use. */
  XdsResources resources(
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes) {
    XdsResources resources = XdsResources.of(clusters, endpoints, listeners, routes, digests);
    built.next();
    tagsByInstance.next();
    policyHashes.next();
    return resources;
  }

  @SuppressWarnings("unchecked") // Each key type maps to one value type, by the methods above.
  private <T> T get(Object key, Supplier<T> build) {
    return (T) built.computeIfAbsent(key, k -> build.get());
  }

  /**
   * Values of this round and the round before: one found from the round before is carried into this
   * one, and {@link #next} forgets what this round did not use.
   */
  private static final class Rounds<K, V> {
    private final IntFunction<Map<K, V>> newMap;
    private Map<K, V> previous;
    private Map<K, V> current;

    /**
     * @param newMap a new map sized for about this many entries
     */
    Rounds(IntFunction<Map<K, V>> newMap) {
      this.newMap = newMap;
      this.previous = newMap.apply(0);
      this.current = newMap.apply(0);
    }

    V get(K key) {
      V value = current.get(key);
      if (value == null) {
        value = previous.get(key);
        if (value != null) {
          current.put(key, value);
        }
      }
      return value;
    }

    void put(K key, V value) {
      current.put(key, value);
    }

    V computeIfAbsent(K key, Function<K, V> build) {
      V value = get(key);
      if (value == null) {
        value = build.apply(key);
        current.put(key, value);
      }
      return value;
    }

    void next() {
      previous = current;
      current = newMap.apply(previous.size());
    }
  }
}
