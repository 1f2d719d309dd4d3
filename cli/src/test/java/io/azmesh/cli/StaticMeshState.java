package io.azmesh.cli;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.EventLog;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One fixed moment of a control plane, built from real records, for a real status server; its
 * history is an {@link EventLog} the test may record into.
 */
record StaticMeshState(
    Optional<PublishedSnapshot> published,
    DiscoveryStatus discovery,
    List<NodeStatus> nodes,
    EventLog log)
    implements MeshState {

  StaticMeshState {
    nodes = List.copyOf(nodes);
  }

  /** A moment with no history. */
  StaticMeshState(
      Optional<PublishedSnapshot> published, DiscoveryStatus discovery, List<NodeStatus> nodes) {
    this(published, discovery, nodes, new EventLog(Clock.systemUTC(), EventLog.DEFAULT_CAPACITY));
  }

  @Override
  public List<MeshEvent> events(long afterSequence) {
    return log.since(afterSequence);
  }
}
