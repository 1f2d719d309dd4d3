package io.azmesh.xds.server.loop;

import com.google.protobuf.Message;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which resources differ between two published sets, by type and name: what a new mesh
 * configuration changes for the proxies. Every changed Cluster or Listener is rebuilt (and warmed)
 * by Envoy, so an operator wants to see exactly these names.
 *
 * @param clusters clusters added, changed or removed, by name (every map in name order)
 * @param endpoints ClusterLoadAssignments added, changed or removed, by cluster name
 * @param listeners listeners added, changed or removed, by name
 * @param routes route configurations added, changed or removed, by name
 */
public record ResourceChanges(
    Map<String, Change> clusters,
    Map<String, Change> endpoints,
    Map<String, Change> listeners,
    Map<String, Change> routes) {

  /** What became of one resource. */
  public enum Change {
    ADDED,
    CHANGED,
    REMOVED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Nothing changed. */
  public static final ResourceChanges NONE =
      new ResourceChanges(Map.of(), Map.of(), Map.of(), Map.of());

  public ResourceChanges {
    clusters = sorted(clusters);
    endpoints = sorted(endpoints);
    listeners = sorted(listeners);
    routes = sorted(routes);
  }

  /** What {@code after} changes relative to {@code before}. */
  public static ResourceChanges between(XdsResources before, XdsResources after) {
    return new ResourceChanges(
        compare(before.clusters(), after.clusters(), Cluster::getName),
        compare(before.endpoints(), after.endpoints(), ClusterLoadAssignment::getClusterName),
        compare(before.listeners(), after.listeners(), Listener::getName),
        compare(before.routes(), after.routes(), RouteConfiguration::getName));
  }

  /** Every resource of {@code after}, added: what a first publish changes. */
  public static ResourceChanges all(XdsResources after) {
    return between(XdsResources.of(List.of(), List.of(), List.of(), List.of()), after);
  }

  public boolean isEmpty() {
    return clusters.isEmpty() && endpoints.isEmpty() && listeners.isEmpty() && routes.isEmpty();
  }

  /**
   * One line for events and logs, e.g. {@code clusters: web changed, shop added; routes: gateway
   * changed}, or {@code no resource changed}.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    part("clusters", clusters, parts);
    part("endpoints", endpoints, parts);
    part("listeners", listeners, parts);
    part("routes", routes, parts);
    return parts.isEmpty() ? "no resource changed" : String.join("; ", parts);
  }

  private static void part(String type, Map<String, Change> changes, List<String> parts) {
    if (changes.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>();
    changes.forEach((name, change) -> names.add(name + " " + change.label()));
    parts.add(type + ": " + String.join(", ", names));
  }

  private static <T extends Message> SortedMap<String, Change> compare(
      List<T> before, List<T> after, Function<T, String> name) {
    Map<String, T> old = new HashMap<>();
    before.forEach(r -> old.put(name.apply(r), r));
    SortedMap<String, Change> changes = new TreeMap<>();
    for (T resource : after) {
      T previous = old.remove(name.apply(resource));
      if (previous == null) {
        changes.put(name.apply(resource), Change.ADDED);
      } else if (!previous.equals(resource)) {
        changes.put(name.apply(resource), Change.CHANGED);
      }
    }
    old.keySet().forEach(gone -> changes.put(gone, Change.REMOVED));
    return changes;
  }

  private static Map<String, Change> sorted(Map<String, Change> changes) {
    return Collections.unmodifiableMap(new TreeMap<>(changes));
  }
}
