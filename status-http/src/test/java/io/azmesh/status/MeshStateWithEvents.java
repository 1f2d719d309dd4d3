package io.azmesh.status;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link MeshState} whose history is an {@link EventLog} the test records into, and whose
 * everything else is another state's (a fixed moment or a running control plane).
 */
record MeshStateWithEvents(MeshState mesh, EventLog log) implements MeshState {

  MeshStateWithEvents {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(log, "log");
  }

  @Override
  public Optional<PublishedSnapshot> published() {
    return mesh.published();
  }

  @Override
  public DiscoveryStatus discovery() {
    return mesh.discovery();
  }

  @Override
  public List<NodeStatus> nodes() {
    return mesh.nodes();
  }

  @Override
  public List<MeshEvent> events(long afterSequence) {
    return log.since(afterSequence);
  }
}
