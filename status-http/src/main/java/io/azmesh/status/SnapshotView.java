package io.azmesh.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.translator.EnvoyJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/snapshot}: the published resources as Envoy JSON (the translator's {@link
 * EnvoyJson}), each list sorted by name.
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

  private static final ObjectMapper TREES = new ObjectMapper();

  public SnapshotView {
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
  }

  static SnapshotView of(PublishedSnapshot snapshot) {
    XdsResources resources = snapshot.resources();
    return new SnapshotView(
        snapshot.snapshotVersion(),
        snapshot.publishedAt(),
        XdsVersionsView.of(resources.versions()),
        json(resources.clusters()),
        json(resources.endpoints()),
        json(resources.listeners()),
        json(resources.routes()));
  }

  /** The translator's rendering, as trees so they nest in this response. */
  private static List<JsonNode> json(List<? extends Message> resources) {
    JsonNode array;
    try {
      array = TREES.readTree(EnvoyJson.resources(resources));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("EnvoyJson printed JSON that Jackson cannot read", e);
    }
    List<JsonNode> nodes = new ArrayList<>(array.size());
    array.forEach(nodes::add);
    return nodes;
  }
}
