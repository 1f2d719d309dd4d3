package io.azmesh.xds;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.util.List;
import java.util.Objects;

/**
 * What a translation did with one instance.
 *
 * @param instance the instance as last discovered
 * @param state serving when one of its endpoints serves, else draining when one drains, else
 *     excluded (not running, bad tags, no service)
 * @param endpoints the service endpoints it is published as, each serving or draining (empty when
 *     excluded); an instance moved to another service serves there while it drains from the old one
 * @param problems why it is excluded or partly excluded
 */
public record InstanceStatus(
    Instance instance, State state, List<ServiceEndpoint> endpoints, List<Problem> problems) {

  public InstanceStatus {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(state, "state");
    endpoints = List.copyOf(endpoints);
    problems = List.copyOf(problems);
  }

  /** What the snapshot does with the instance. */
  public enum State {
    /** Published as a HEALTHY endpoint. */
    SERVING,
    /** Published as DRAINING: no new requests, existing ones finish. */
    DRAINING,
    /** Not published. */
    EXCLUDED
  }

  /**
   * One endpoint of a service.
   *
   * @param service the service name
   * @param cluster the Envoy cluster name
   * @param address the IP the endpoint is published with
   * @param port the port
   * @param weight the load-balancing weight, 1..128
   * @param state serving or draining
   */
  public record ServiceEndpoint(
      String service, String cluster, String address, int port, int weight, State state) {
    public ServiceEndpoint {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(state, "state");
      if (state == State.EXCLUDED) {
        throw new IllegalArgumentException(
            "endpoint " + address + ":" + port + " of " + service + " is published, not excluded");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port (" + port + ") must be in 1..65535");
      }
      if (weight < 1 || weight > 128) {
        throw new IllegalArgumentException("weight (" + weight + ") must be in 1..128");
      }
    }
  }
}
