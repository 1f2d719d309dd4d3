package io.azmesh.xds.server.serving;

import io.azmesh.xds.XdsResources;
import java.time.Instant;

/** Where the control loop puts what it publishes: the xDS server's cache, or a test double. */
@FunctionalInterface
public interface SnapshotSink {

  /**
   * Serves the resources from now on; called only with validated resources that changed.
   *
   * @param changeSeenAt when the control loop saw the change that produced them, the start of the
   *     change-to-ACK latency
   */
  void publish(XdsResources resources, Instant changeSeenAt);
}
