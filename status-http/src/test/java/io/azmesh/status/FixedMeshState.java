package io.azmesh.status;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An immutable {@link MeshState} built from real records: one moment of a control plane. */
record FixedMeshState(
    Optional<PublishedSnapshot> published, DiscoveryStatus discovery, List<NodeStatus> nodes)
    implements MeshState {

  FixedMeshState {
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(discovery, "discovery");
    nodes = List.copyOf(nodes);
  }

  /** The same moment with {@code snapshot} published. */
  FixedMeshState publishing(PublishedSnapshot snapshot) {
    return new FixedMeshState(Optional.of(snapshot), discovery, nodes);
  }

  /** One moment has no history. */
  @Override
  public List<MeshEvent> events(long afterSequence) {
    return List.of();
  }
}
