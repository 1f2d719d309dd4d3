package io.azmesh.status;

import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /api/nodes}: each xDS client and how far it accepted what was sent, like {@code
 * istioctl proxy-status}.
 *
 * @param snapshotVersion the published snapshot's counter, 0 before the first publish
 * @param xdsVersions the published versions to compare the nodes' ACKs with; null before the first
 *     publish
 * @param nodes sorted by node id
 */
public record NodesView(long snapshotVersion, XdsVersionsView xdsVersions, List<Node> nodes) {

  public NodesView {
    nodes = List.copyOf(nodes);
  }

  /**
   * One node.
   *
   * @param locality region/zone/sub-zone, null if the node sent none
   * @param connectedSince when its stream opened, null once disconnected
   * @param sync {@code synced}, {@code stale} or {@code nacked}
   * @param types per resource type: sent, ACKed and last NACKed version
   */
  public record Node(
      String nodeId,
      String cluster,
      String locality,
      String userAgent,
      Instant connectedSince,
      String sync,
      Map<String, TypeSync> types) {
    public Node {
      Objects.requireNonNull(nodeId, "nodeId");
      types = Collections.unmodifiableSortedMap(new TreeMap<>(types));
    }

    static Node of(NodeStatus status) {
      Map<String, TypeSync> types = new TreeMap<>();
      status.types().forEach((type, typeStatus) -> types.put(type, TypeSync.of(typeStatus)));
      return new Node(
          status.nodeId(),
          status.cluster(),
          status.locality().orElse(null),
          status.userAgent(),
          status.connectedSince().orElse(null),
          Label.of(status.sync()),
          types);
    }
  }

  /** One resource type on one node; absent values are null. */
  public record TypeSync(String sentVersion, String ackedVersion, Nack lastNack) {
    static TypeSync of(NodeStatus.TypeStatus status) {
      return new TypeSync(
          status.sentVersion().orElse(null),
          status.ackedVersion().orElse(null),
          status.lastNack().map(Nack::of).orElse(null));
    }
  }

  /** A rejection with the client's own error text. */
  public record Nack(String version, String nonce, String errorDetail, Instant at) {
    static Nack of(NodeStatus.Nack nack) {
      return new Nack(nack.version(), nack.nonce(), nack.errorDetail(), nack.at());
    }
  }

  /** The view of {@code state} now. */
  public static NodesView of(MeshState state) {
    Optional<PublishedSnapshot> published = state.published();
    return new NodesView(
        published.map(PublishedSnapshot::snapshotVersion).orElse(0L),
        published.map(p -> XdsVersionsView.of(p.resources().versions())).orElse(null),
        state.nodes().stream().map(Node::of).toList());
  }
}
