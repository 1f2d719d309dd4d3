package io.azmesh.xds.server;

import io.envoyproxy.envoy.config.core.v3.Node;

/** Which xDS clients share one snapshot. */
public enum NodeGrouping {
  /** Every node gets the same snapshot: the default, since the mesh config is global. */
  SINGLE {
    @Override
    String group(Node node) {
      return "*";
    }
  },
  /**
   * Nodes are grouped by their {@code node.cluster}: each group has its own snapshot in the cache,
   * so its watches and status are kept apart.
   */
  BY_CLUSTER {
    @Override
    String group(Node node) {
      return node.getCluster();
    }
  };

  /** The group key of a node. */
  abstract String group(Node node);
}
