package io.azmesh.discovery;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The result of one successful discovery: what was found, what was left out and why.
 *
 * <p>Instances are sorted by id, so two discoveries of the same world are equal whatever order the
 * source listed them in. Ids and names are unique.
 */
public record Discovery(
    List<Instance> instances, List<Problem> problems, Instant observedAt, DiscoveryStats stats) {

  public Discovery {
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(problems, "problems");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(stats, "stats");
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Instance instance : instances) {
      Objects.requireNonNull(instance, "instance");
      if (!ids.add(instance.id())) {
        throw new IllegalArgumentException("instance id '" + instance.id() + "' appears twice");
      }
      if (!names.add(instance.name())) {
        throw new IllegalArgumentException("instance name '" + instance.name() + "' appears twice");
      }
    }
    instances = instances.stream().sorted(Comparator.comparing(Instance::id)).toList();
    problems = List.copyOf(problems);
  }
}
