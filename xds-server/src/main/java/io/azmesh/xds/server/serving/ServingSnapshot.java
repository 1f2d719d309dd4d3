package io.azmesh.xds.server.serving;

import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What every stream is served, as of one publish: immutable, so streams read it without a lock. The
 * generation counts publishes since the server started; streams note the one they are synced to.
 */
final class ServingSnapshot {
  /** Before the first publish: nothing is served and no stream is answered. */
  static final ServingSnapshot NONE = new ServingSnapshot(0, Map.of());

  private final long generation;
  private final Map<XdsType, ServedType> types;

  private ServingSnapshot(long generation, Map<XdsType, ServedType> types) {
    this.generation = generation;
    this.types = types;
  }

  long generation() {
    return generation;
  }

  /**
   * The served copy of each resource name of {@code type}, or the name itself when nothing by it is
   * served: what streams keep of their subscriptions, so they share one copy of each name.
   */
  UnaryOperator<String> sharedNames(XdsType type) {
    ServedType served = types.get(type);
    return name -> {
      ServedResource resource = served == null ? null : served.get(name);
      return resource == null ? name : resource.name();
    };
  }

  /** The type's resources; empty before the first publish. */
  Optional<ServedType> type(XdsType type) {
    return Optional.ofNullable(types.get(type));
  }

  /**
   * The snapshot after publishing {@code resources}: a type whose version did not change is kept as
   * it is, and within a changed type every unchanged resource keeps its packed copy.
   */
  ServingSnapshot next(XdsResources resources) {
    long next = generation + 1;
    Map<XdsType, ServedType> published = new EnumMap<>(XdsType.class);
    published.put(
        XdsType.CLUSTERS,
        publish(
            XdsType.CLUSTERS,
            resources.versions().clusters(),
            resources.clusters(),
            Cluster::getName,
            next));
    published.put(
        XdsType.ENDPOINTS,
        publish(
            XdsType.ENDPOINTS,
            resources.versions().endpoints(),
            resources.endpoints(),
            ClusterLoadAssignment::getClusterName,
            next));
    published.put(
        XdsType.LISTENERS,
        publish(
            XdsType.LISTENERS,
            resources.versions().listeners(),
            resources.listeners(),
            Listener::getName,
            next));
    published.put(
        XdsType.ROUTES,
        publish(
            XdsType.ROUTES,
            resources.versions().routes(),
            resources.routes(),
            RouteConfiguration::getName,
            next));
    return new ServingSnapshot(next, Collections.unmodifiableMap(published));
  }

  private <T extends com.google.protobuf.Message> ServedType publish(
      XdsType type,
      String version,
      java.util.List<T> messages,
      java.util.function.Function<T, String> nameOf,
      long next) {
    Optional<ServedType> previous = type(type);
    if (previous.isPresent() && previous.get().version().equals(version)) {
      return previous.get();
    }
    return ServedType.publish(type, version, messages, nameOf, previous, next);
  }
}
