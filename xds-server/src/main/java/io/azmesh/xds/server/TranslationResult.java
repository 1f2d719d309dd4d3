package io.azmesh.xds.server;

import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import java.util.List;
import java.util.Objects;

/**
 * What one translation produced: the resources to serve and what became of each instance.
 *
 * @param resources the xDS resources with their versions
 * @param instances every instance that was translated, with its state and endpoints
 * @param problems problems found while translating (bad tags, unknown services)
 */
public record TranslationResult(
    XdsResources resources, List<InstanceStatus> instances, List<Problem> problems) {
  public TranslationResult {
    Objects.requireNonNull(resources, "resources");
    instances = List.copyOf(instances);
    problems = List.copyOf(problems);
  }
}
