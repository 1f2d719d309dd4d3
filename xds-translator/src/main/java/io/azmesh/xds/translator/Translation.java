package io.azmesh.xds.translator;

import io.azmesh.discovery.Problem;
import io.azmesh.xds.EndpointCounts;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one translation.
 *
 * @param resources the Envoy resources to publish
 * @param instances what happened to each input instance and each retained one, one entry per
 *     instance id, sorted by it
 * @param problems every problem found in the input, in instance order
 * @param endpointCounts per cluster with endpoints, how many of {@code instances}' endpoints serve
 *     and drain there; equal to {@link EndpointCounts#of} of {@code instances}
 */
public record Translation(
    XdsResources resources,
    List<InstanceStatus> instances,
    List<Problem> problems,
    Map<String, EndpointCounts> endpointCounts) {

  public Translation {
    Objects.requireNonNull(resources, "resources");
    instances = List.copyOf(instances);
    problems = List.copyOf(problems);
    endpointCounts = Map.copyOf(endpointCounts);
  }

  /** A translation whose endpoint counts are counted from its statuses. */
  public Translation(
      XdsResources resources, List<InstanceStatus> instances, List<Problem> problems) {
    this(resources, instances, problems, EndpointCounts.of(instances));
  }
}
