package io.azmesh.xds.server;

import io.azmesh.xds.XdsResources;

/** Where the control loop puts what it publishes: the xDS server's cache, or a test double. */
@FunctionalInterface
public interface SnapshotSink {

  /** Serves the resources from now on; called only with validated resources that changed. */
  void publish(XdsResources resources);
}
