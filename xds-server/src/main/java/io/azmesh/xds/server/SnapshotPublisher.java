package io.azmesh.xds.server;

import io.azmesh.xds.XdsResources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Puts published resources into java-control-plane's cache, for every node group. */
final class SnapshotPublisher {
  /** Secrets are not served; their version never changes. */
  private static final String NO_SECRETS_VERSION = "none";

  private final SimpleCache<String> cache;
  private final NodeGrouping grouping;
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  private volatile Snapshot current;

  SnapshotPublisher(NodeGrouping grouping) {
    this.grouping = Objects.requireNonNull(grouping, "grouping");
    this.cache = new SimpleCache<>(grouping::group);
  }

  SimpleCache<String> cache() {
    return cache;
  }

  /** Serves the resources to every group; watches whose version differs are answered at once. */
  synchronized void publish(XdsResources resources) {
    Snapshot snapshot =
        Snapshot.create(
            resources.clusters(),
            resources.versions().clusters(),
            resources.endpoints(),
            resources.versions().endpoints(),
            resources.listeners(),
            resources.versions().listeners(),
            resources.routes(),
            resources.versions().routes(),
            List.of(),
            NO_SECRETS_VERSION);
    current = snapshot;
    for (String group : groups) {
      cache.setSnapshot(group, snapshot);
    }
  }

  /** Makes sure the node's group has the current snapshot before the node opens a watch. */
  void admit(Node node) {
    String group = grouping.group(node);
    if (groups.add(group)) {
      synchronized (this) {
        if (current != null) {
          cache.setSnapshot(group, current);
        }
      }
    }
  }

  /** The snapshot served to a node's group, if any was published. */
  Optional<Snapshot> snapshotFor(Node node) {
    return Optional.ofNullable(cache.getSnapshot(grouping.group(node)));
  }
}
