package io.azmesh.status;

import io.azmesh.xds.XdsVersions;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content-hash versions of the published resources, per type and per cluster's endpoints
 * (sorted by cluster).
 */
public record XdsVersionsView(
    String clusters,
    String endpoints,
    String listeners,
    String routes,
    Map<String, String> endpointsByCluster) {

  public XdsVersionsView {
    endpointsByCluster = Collections.unmodifiableSortedMap(new TreeMap<>(endpointsByCluster));
  }

  static XdsVersionsView of(XdsVersions versions) {
    return new XdsVersionsView(
        versions.clusters(),
        versions.endpoints(),
        versions.listeners(),
        versions.routes(),
        versions.endpointsByCluster());
  }
}
