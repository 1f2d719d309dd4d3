package io.azmesh.status;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link MeshState} that moves from one fixed moment to the next, as a control loop would. */
final class ChangingMeshState implements MeshState {

  private final AtomicReference<FixedMeshState> current;

  ChangingMeshState(FixedMeshState initial) {
    current = new AtomicReference<>(initial);
  }

  void moveTo(FixedMeshState next) {
    current.set(next);
  }

  @Override
  public Optional<PublishedSnapshot> published() {
    return current.get().published();
  }

  @Override
  public DiscoveryStatus discovery() {
    return current.get().discovery();
  }

  @Override
  public List<NodeStatus> nodes() {
    return current.get().nodes();
  }

  @Override
  public List<MeshEvent> events(long afterSequence) {
    return current.get().events(afterSequence);
  }
}
