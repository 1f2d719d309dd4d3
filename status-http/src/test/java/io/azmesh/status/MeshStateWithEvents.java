package io.azmesh.status;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.MeshEvent;
import java.util.List;
import java.util.Objects;

/**
 * A {@link MeshState} whose history is an {@link EventLog} the test records into, and whose
 * everything else is another state's (a fixed moment or a running control plane).
 */
record MeshStateWithEvents(MeshState mesh, EventLog log) implements ForwardingMeshState {

  MeshStateWithEvents {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(log, "log");
  }

  @Override
  public List<MeshEvent> events(long afterSequence) {
    return log.since(afterSequence);
  }
}
