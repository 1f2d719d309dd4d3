package io.azmesh.xds.server;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.MeshEvent;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the control plane: what discovery found, what was published, and what each
 * connected proxy accepted. Every call returns an immutable, consistent copy; nothing in it can
 * change the control plane. status-http and the CLI read only this.
 */
public interface MeshState {

  /** The snapshot being served, or empty before the first publish. */
  Optional<PublishedSnapshot> published();

  /** Discovery health: last success, failures, problems, held changes. */
  DiscoveryStatus discovery();

  /** The discovery provider's change feed (an Azure change queue), if it reads one. */
  default Optional<ChangeFeedStatus> changeFeed() {
    return Optional.empty();
  }

  /** Every connected (or recently connected) xDS client, sorted by node id. */
  List<NodeStatus> nodes();

  /** The recorded events after {@code afterSequence} (0 for all that are kept), oldest first. */
  List<MeshEvent> events(long afterSequence);
}
