package io.azmesh.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One complete, ordered set of xDS resources with their content-hash versions.
 *
 * <p>Resources are sorted by name and hashed from protobuf's deterministic serialization, so the
 * same resources in any order give the same versions on every run and every replica.
 */
public record XdsResources(
    List<Cluster> clusters,
    List<ClusterLoadAssignment> endpoints,
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    XdsVersions versions) {

  /** The number of hex digits of SHA-256 kept in a version string. */
  private static final int VERSION_HEX_DIGITS = 16;

  public XdsResources {
    Objects.requireNonNull(versions, "versions");
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
  }

  /** Sorts the resources by name and computes their versions. */
  public static XdsResources of(
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes) {
    return of(clusters, endpoints, listeners, routes, new ResourceBytes());
  }

  /**
   * Sorts the resources by name and computes their versions, serializing only resources {@code
   * bytes} has not seen in its last call; the versions are the same either way.
   */
  public static XdsResources of(
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      ResourceBytes bytes) {
    List<Cluster> c = sorted(clusters, Cluster::getName);
    List<ClusterLoadAssignment> e = sorted(endpoints, ClusterLoadAssignment::getClusterName);
    List<Listener> l = sorted(listeners, Listener::getName);
    List<RouteConfiguration> r = sorted(routes, RouteConfiguration::getName);
    Map<String, String> byCluster = new LinkedHashMap<>();
    for (ClusterLoadAssignment cla : e) {
      byCluster.put(
          cla.getClusterName(), hash(List.of(cla), ClusterLoadAssignment::getClusterName, bytes));
    }
    XdsVersions versions =
        new XdsVersions(
            hash(c, Cluster::getName, bytes),
            hash(e, ClusterLoadAssignment::getClusterName, bytes),
            hash(l, Listener::getName, bytes),
            hash(r, RouteConfiguration::getName, bytes),
            byCluster);
    bytes.endRound();
    return new XdsResources(c, e, l, r, versions);
  }

  /** No resources at all. */
  public static XdsResources empty() {
    return of(List.of(), List.of(), List.of(), List.of());
  }

  private static <T> List<T> sorted(List<T> resources, Function<T, String> name) {
    List<T> copy = resources.stream().sorted(Comparator.comparing(name)).toList();
    for (int i = 1; i < copy.size(); i++) {
      if (name.apply(copy.get(i)).equals(name.apply(copy.get(i - 1)))) {
        throw new IllegalArgumentException(
            "resource name '" + name.apply(copy.get(i)) + "' appears twice");
      }
    }
    return copy;
  }

  /** SHA-256 over (name, deterministic bytes) of each resource, in order; 16 hex digits. */
  static <T extends Message> String hash(
      List<T> resources, Function<T, String> name, ResourceBytes bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (T resource : resources) {
        digest.update(name.apply(resource).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes.of(resource));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
