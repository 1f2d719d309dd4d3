package io.azmesh.status;

import io.azmesh.xds.XdsVersions;
import java.util.Map;

/** The content-hash versions of the published resources, per type and per cluster's endpoints. */
public record XdsVersionsView(
    String clusters,
    String endpoints,
    String listeners,
    String routes,
    Map<String, String> endpointsByCluster) {

  public XdsVersionsView {
    endpointsByCluster = Map.copyOf(endpointsByCluster);
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
