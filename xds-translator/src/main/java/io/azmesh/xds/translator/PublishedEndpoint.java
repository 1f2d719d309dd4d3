package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import java.util.Comparator;
import java.util.Objects;

/**
 * One instance as an endpoint of one service.
 *
 * @param instance the instance
 * @param address the published address
 * @param port the published port
 * @param weight the endpoint weight
 * @param state serving or draining
 */
record PublishedEndpoint(
    Instance instance, String address, int port, int weight, InstanceStatus.State state) {

  /** Envoy's order inside a locality: by address, port, then instance id. */
  static final Comparator<PublishedEndpoint> ORDER =
      Comparator.comparing(PublishedEndpoint::address)
          .thenComparingInt(PublishedEndpoint::port)
          .thenComparing(e -> e.instance().id());

  PublishedEndpoint {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
    if (state == InstanceStatus.State.EXCLUDED) {
      throw new IllegalArgumentException("an excluded instance is not published");
    }
  }

  String region() {
    return instance.location().orElse("");
  }

  String zone() {
    return instance.zone().orElse("");
  }

  /**
   * Equal when the ClusterLoadAssignment would be: the instance's id, name, location and zone, and
   * the endpoint's own values. Its tags and other values do not count, and hashing them for every
   * endpoint of the fleet on every translation was a tenth of a change's cost.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof PublishedEndpoint e
        && port == e.port
        && weight == e.weight
        && state == e.state
        && address.equals(e.address)
        && (instance == e.instance
            || instance.id().equals(e.instance.id())
                && instance.name().equals(e.instance.name())
                && instance.location().equals(e.instance.location())
                && instance.zone().equals(e.instance.zone()));
  }

  @Override
  public int hashCode() {
    return ((instance.id().hashCode() * 31 + address.hashCode()) * 31 + port) * 31 + weight;
  }
}
