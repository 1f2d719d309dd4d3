package io.azmesh.status;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.util.List;
import java.util.Optional;

/** A {@link MeshState} that answers as {@link #mesh()} does, except where a test overrides it. */
interface ForwardingMeshState extends MeshState {

  /** The state answered from. */
  MeshState mesh();

  @Override
  default Optional<PublishedSnapshot> published() {
    return mesh().published();
  }

  @Override
  default DiscoveryStatus discovery() {
    return mesh().discovery();
  }

  @Override
  default Optional<ChangeFeedStatus> changeFeed() {
    return mesh().changeFeed();
  }

  @Override
  default List<NodeStatus> nodes() {
    return mesh().nodes();
  }

  @Override
  default List<MeshEvent> events(long afterSequence) {
    return mesh().events(afterSequence);
  }
}
