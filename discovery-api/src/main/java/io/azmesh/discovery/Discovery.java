package io.azmesh.discovery;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The result of one successful discovery: what was found, what was left out and why, and how each
 * scope fared.
 *
 * <p>Instances are sorted by id, so two discoveries of the same world are equal whatever order the
 * source listed them in. Ids and names are unique.
 *
 * @param scopes one entry per scope of a provider that lists several (Azure's subscriptions and
 *     resource groups): a scope that failed keeps its last good instances among {@code instances}
 *     and says so here; empty for a provider with one scope, which fails as a whole
 */
public record Discovery(
    List<Instance> instances,
    List<Problem> problems,
    Instant observedAt,
    DiscoveryStats stats,
    List<DiscoveryScope> scopes) {

  /** A discovery of a provider with one scope. */
  public Discovery(
      List<Instance> instances, List<Problem> problems, Instant observedAt, DiscoveryStats stats) {
    this(instances, problems, observedAt, stats, List.of());
  }

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
    scopes = List.copyOf(scopes);
  }
}
