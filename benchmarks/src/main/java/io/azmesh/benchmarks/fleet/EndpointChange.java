package io.azmesh.benchmarks.fleet;

import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.Objects;
import java.util.Optional;

/**
 * One single-endpoint change to the inventory and what a ClusterLoadAssignment looks like once it
 * holds it. The check reads endpoint addresses and health only, so it holds for any correct server
 * whatever it does with a removed endpoint (drops it or keeps it DRAINING for a while).
 *
 * @param kind what changed
 * @param service the instance's {@code mesh-service}
 * @param instance the instance's name
 * @param serving the address that must be serving afterwards, if any
 * @param gone the address that must no longer be serving afterwards, if any
 */
record EndpointChange(
    Kind kind, String service, String instance, Optional<String> serving, Optional<String> gone) {

  /** The kinds of change, applied in turn. */
  enum Kind {
    IP_CHANGE,
    ADD,
    REMOVE
  }

  EndpointChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(serving, "serving");
    Objects.requireNonNull(gone, "gone");
    if (serving.isEmpty() && gone.isEmpty()) {
      throw new IllegalArgumentException("a change must make an address serve or stop serving");
    }
  }

  /** Whether this ClusterLoadAssignment reflects the change. */
  boolean heldBy(ClusterLoadAssignment cla) {
    return serving.map(a -> isServing(cla, a)).orElse(true)
        && gone.map(a -> !isServing(cla, a)).orElse(true);
  }

  /** Whether the assignment has the address as an endpoint that takes new requests. */
  static boolean isServing(ClusterLoadAssignment cla, String address) {
    for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
      for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
        if (endpoint.getEndpoint().getAddress().getSocketAddress().getAddress().equals(address)) {
          HealthStatus health = endpoint.getHealthStatus();
          if (health == HealthStatus.HEALTHY || health == HealthStatus.UNKNOWN) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return kind
        + " "
        + instance
        + " in "
        + service
        + serving.map(a -> " +" + a).orElse("")
        + gone.map(a -> " -" + a).orElse("");
  }
}
