package io.azmesh.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.PublishedSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/snapshot}: the published resources as Envoy JSON, each list sorted by name.
 *
 * @param endpoints the ClusterLoadAssignments
 */
public record SnapshotView(
    long snapshotVersion,
    Instant publishedAt,
    XdsVersionsView xdsVersions,
    List<JsonNode> clusters,
    List<JsonNode> endpoints,
    List<JsonNode> listeners,
    List<JsonNode> routes) {

  public SnapshotView {
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
  }

  static SnapshotView of(PublishedSnapshot snapshot, EnvoyJsonTree json) {
    XdsResources resources = snapshot.resources();
    return new SnapshotView(
        snapshot.snapshotVersion(),
        snapshot.publishedAt(),
        XdsVersionsView.of(resources.versions()),
        resources.clusters().stream().map(c -> json.render(c, Cluster::getName)).toList(),
        resources.endpoints().stream()
            .map(e -> json.render(e, ClusterLoadAssignment::getClusterName))
            .toList(),
        resources.listeners().stream().map(l -> json.render(l, Listener::getName)).toList(),
        resources.routes().stream().map(r -> json.render(r, RouteConfiguration::getName)).toList());
  }
}
