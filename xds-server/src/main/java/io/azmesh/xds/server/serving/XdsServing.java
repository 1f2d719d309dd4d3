package io.azmesh.xds.server.serving;

import java.util.List;

/**
 * All the rest of the control plane sees of the xDS server: where snapshots are published, what
 * each proxy holds, and what proxies do. The control loop depends on this, never on the streams.
 */
public interface XdsServing extends SnapshotSink {

  /**
   * Every stream open now or closed within the retention period, sorted by node id and then by when
   * it opened.
   */
  List<NodeStatus> nodes();

  /** Adds a listener that receives every proxy event from now on. */
  void subscribe(ProxyEventListener listener);
}
