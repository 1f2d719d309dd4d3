package io.azmesh.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
 * <p>Resources are sorted by name. Each resource has a digest: SHA-256 of its protobuf
 * deterministic serialization. A type's version is SHA-256 over (name length, name, digest) of its
 * resources in name order; a ClusterLoadAssignment's own version ({@link
 * XdsVersions#endpointsByCluster}) is its digest. Each is cut to 16 hex digits (64 bits).
 *
 * <p>Why these are pure functions of the content, at SHA-256 strength, though digests are
 * remembered: the digest of a resource depends only on its bytes, and a remembered digest was
 * computed from the same immutable object, so cache state cannot change it; the same resources in
 * any order and as any objects give the same versions on every run and every replica. The input of
 * a type's hash is an unambiguous encoding of the list of (name, digest) pairs (the name's length
 * first, the digest of fixed length), so two different sets of resources give the same type version
 * only if SHA-256 collides (on a resource's bytes or on the list, within the 64 bits kept). Hashing
 * digests instead of bytes is what lets a call cost one serialization and digest per changed
 * resource plus a few dozen bytes hashed per resource, not the size of the snapshot.
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
    return of(clusters, endpoints, listeners, routes, new ResourceDigests());
  }

  /**
   * Sorts the resources by name and computes their versions, serializing and hashing only the
   * resources {@code digests} has not seen in its last call; the versions are the same either way.
   */
  public static XdsResources of(
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      ResourceDigests digests) {
    List<Cluster> c = sorted(clusters, Cluster::getName);
    List<ClusterLoadAssignment> e = sorted(endpoints, ClusterLoadAssignment::getClusterName);
    List<Listener> l = sorted(listeners, Listener::getName);
    List<RouteConfiguration> r = sorted(routes, RouteConfiguration::getName);
    Map<String, String> byCluster = new LinkedHashMap<>();
    for (ClusterLoadAssignment cla : e) {
      byCluster.put(cla.getClusterName(), version(digests.of(cla)));
    }
    XdsVersions versions =
        new XdsVersions(
            typeVersion(c, Cluster::getName, digests),
            typeVersion(e, ClusterLoadAssignment::getClusterName, digests),
            typeVersion(l, Listener::getName, digests),
            typeVersion(r, RouteConfiguration::getName, digests),
            byCluster);
    digests.endRound();
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

  /** SHA-256 over (name length, name, digest) of each resource, in order. */
  private static <T extends Message> String typeVersion(
      List<T> resources, Function<T, String> name, ResourceDigests digests) {
    MessageDigest sha256 = ResourceDigests.sha256();
    ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
    for (T resource : resources) {
      byte[] utf8 = name.apply(resource).getBytes(StandardCharsets.UTF_8);
      sha256.update(length.clear().putInt(utf8.length).array());
      sha256.update(utf8);
      sha256.update(digests.of(resource));
    }
    return version(sha256.digest());
  }

  private static String version(byte[] digest) {
    return HexFormat.of().formatHex(digest, 0, VERSION_HEX_DIGITS / 2);
  }
}
