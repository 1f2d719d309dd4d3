package io.azmesh.cli;

import io.azmesh.xds.server.DiscoveryStatus;
import io.azmesh.xds.server.MeshEvent;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.NodeStatus;
import io.azmesh.xds.server.PublishedSnapshot;
import java.util.List;
import java.util.Optional;

/** One fixed moment of a control plane, built from real records, for a real status server. */
record StaticMeshState(
    Optional<PublishedSnapshot> published, DiscoveryStatus discovery, List<NodeStatus> nodes)
    implements MeshState {

  StaticMeshState {
    nodes = List.copyOf(nodes);
  }

  /** One moment has no history. */
  @Override
  public List<MeshEvent> events(long afterSequence) {
    return List.of();
  }
}
