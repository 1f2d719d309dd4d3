package io.azmesh.xds;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Content-hash versions of one set of resources: one per resource type, and one per
 * ClusterLoadAssignment so that a change in one service's endpoints is visible as exactly that.
 */
public record XdsVersions(
    String clusters,
    String endpoints,
    String listeners,
    String routes,
    Map<String, String> endpointsByCluster) {

  public XdsVersions {
    Objects.requireNonNull(clusters, "clusters");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(listeners, "listeners");
    Objects.requireNonNull(routes, "routes");
    endpointsByCluster =
        java.util.Collections.unmodifiableSortedMap(new TreeMap<>(endpointsByCluster));
  }
}
