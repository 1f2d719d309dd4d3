package io.azmesh.xds.server.loop;

import com.google.protobuf.Message;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.ServingState.Member;
import io.azmesh.xds.translator.Translation;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The first difference between two plans of the same refresh: the one the loop made incrementally
 * and a full recompute from scratch. Names what differs (a resource by type and name, a serving
 * state entry, an instance's status), so the one log line of a drift says where to look.
 */
final class PlanDifference {
  private PlanDifference() {}

  /** Where {@code incremental} first differs from {@code full}, or empty if they are equal. */
  static Optional<String> between(RefreshPlan incremental, RefreshPlan full) {
    Translation a = incremental.translation();
    Translation b = full.translation();
    return firstPresent(
        resources(a.resources(), b.resources()),
        state(incremental.next(), full.next()),
        !a.instances().equals(b.instances())
            ? Optional.of("the instance statuses differ")
            : Optional.empty(),
        !a.problems().equals(b.problems()) ? Optional.of("the problems differ") : Optional.empty(),
        !a.endpointCounts().equals(b.endpointCounts())
            ? Optional.of("the endpoint counts differ")
            : Optional.empty(),
        !incremental.held().equals(full.held())
            ? Optional.of("the held removals differ")
            : Optional.empty());
  }

  private static Optional<String> resources(XdsResources a, XdsResources b) {
    return firstPresent(
        named("cluster", a.clusters(), b.clusters(), Cluster::getName),
        named(
            "ClusterLoadAssignment",
            a.endpoints(),
            b.endpoints(),
            ClusterLoadAssignment::getClusterName),
        named("listener", a.listeners(), b.listeners(), Listener::getName),
        named("route configuration", a.routes(), b.routes(), RouteConfiguration::getName),
        !a.versions().equals(b.versions())
            ? Optional.of("the resource versions differ: " + a.versions() + " != " + b.versions())
            : Optional.empty());
  }

  private static <T extends Message> Optional<String> named(
      String type, List<T> a, List<T> b, Function<T, String> name) {
    if (a.equals(b)) {
      return Optional.empty();
    }
    Map<String, T> left = byName(a, name);
    Map<String, T> right = byName(b, name);
    Set<String> names = new TreeSet<>(left.keySet());
    names.addAll(right.keySet());
    for (String n : names) {
      T x = left.get(n);
      T y = right.get(n);
      if (x == null) {
        return Optional.of(type + " " + n + " is missing from the incremental result");
      }
      if (y == null) {
        return Optional.of(type + " " + n + " is not in the full recompute");
      }
      if (!x.equals(y)) {
        return Optional.of(type + " " + n + " differs");
      }
    }
    return Optional.of("the " + type + " resources differ in order");
  }

  private static Optional<String> state(ServingState a, ServingState b) {
    return firstPresent(
        members("serving", a.serving(), b.serving()),
        members("draining", a.draining(), b.draining()),
        keys("held service", a.holds(), b.holds()),
        keys("empty service", a.emptySince(), b.emptySince()),
        !a.services().equals(b.services())
            ? Optional.of("the services differ: " + a.services() + " != " + b.services())
            : Optional.empty());
  }

  private static Optional<String> members(String what, Map<Member, ?> a, Map<Member, ?> b) {
    if (a.equals(b)) {
      return Optional.empty();
    }
    Set<Member> all = new TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    for (Member m : all) {
      if (!Objects.equals(a.get(m), b.get(m))) {
        return Optional.of(what + " endpoint " + m + " differs");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> keys(String what, Map<String, ?> a, Map<String, ?> b) {
    if (a.equals(b)) {
      return Optional.empty();
    }
    Map<String, Object> left = new TreeMap<>(a);
    left.putAll(b);
    for (String key : left.keySet()) {
      if (!Objects.equals(a.get(key), b.get(key))) {
        return Optional.of(what + " " + key + " differs");
      }
    }
    return Optional.empty();
  }

  private static <T> Map<String, T> byName(List<T> resources, Function<T, String> name) {
    Map<String, T> map = new TreeMap<>();
    resources.forEach(r -> map.put(name.apply(r), r));
    return map;
  }

  @SafeVarargs
  private static Optional<String> firstPresent(Optional<String>... candidates) {
    for (Optional<String> c : candidates) {
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }
}
