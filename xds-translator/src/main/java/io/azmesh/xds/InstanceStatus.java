package io.azmesh.xds;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.util.List;
import java.util.Objects;

/**
 * What a translation did with one instance.
 *
 * @param instance the instance as last discovered
 * @param state serving, draining, or excluded (not running, bad tags, no service)
 * @param endpoints the service endpoints it is published as (empty when excluded)
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
   */
  public record ServiceEndpoint(
      String service, String cluster, String address, int port, int weight) {
    public ServiceEndpoint {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(address, "address");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port (" + port + ") must be in 1..65535");
      }
      if (weight < 1 || weight > 128) {
        throw new IllegalArgumentException("weight (" + weight + ") must be in 1..128");
      }
    }
  }
}
