package io.azmesh.xds;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How many endpoints the instance statuses of a translation publish in one cluster: what the status
 * page charts per service on every publish, so it need not walk every instance of the fleet.
 *
 * <p>Counted from the statuses, not from the ClusterLoadAssignment: two instances on one address
 * and port are two endpoints here but one in the assignment (the serving one is published).
 *
 * @param service the service of the cluster's first endpoint in status order
 * @param serving its endpoints serving
 * @param draining its endpoints draining
 */
public record EndpointCounts(String service, int serving, int draining) {

  public EndpointCounts {
    Objects.requireNonNull(service, "service");
    if (serving < 0 || draining < 0 || serving + draining == 0) {
      throw new IllegalArgumentException(
          "endpoints of "
              + service
              + " (serving "
              + serving
              + ", draining "
              + draining
              + ") must be counted, none negative");
    }
  }

  /** Serving plus draining. */
  public int total() {
    return serving + draining;
  }

  /**
   * Per cluster with at least one endpoint in {@code statuses}, counted endpoint by endpoint: the
   * reference a translation's own counts must equal, and what a caller without them uses.
   */
  public static Map<String, EndpointCounts> of(List<InstanceStatus> statuses) {
    Map<String, EndpointCounts> byCluster = new HashMap<>();
    for (InstanceStatus status : statuses) {
      for (InstanceStatus.ServiceEndpoint endpoint : status.endpoints()) {
        // The first endpoint names the service; later ones of the cluster only add to its counts.
        EndpointCounts one =
            endpoint.state() == InstanceStatus.State.SERVING
                ? new EndpointCounts(endpoint.service(), 1, 0)
                : new EndpointCounts(endpoint.service(), 0, 1);
        byCluster.merge(endpoint.cluster(), one, EndpointCounts::plus);
      }
    }
    return Map.copyOf(byCluster);
  }

  private EndpointCounts plus(EndpointCounts more) {
    return new EndpointCounts(service, serving + more.serving, draining + more.draining);
  }
}
