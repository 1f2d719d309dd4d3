package io.azmesh.discovery;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result of one successful discovery: what was found, what was left out and why.
 *
 * <p>Instances are sorted by id, so two discoveries of the same world are equal whatever order the
 * source listed them in. Ids and names are unique.
 *
 * @param changes what differs from the previous discovery of the same provider, when the provider
 *     can tell; empty means "compare the whole world" (a first discovery, or a provider that
 *     reports only whole worlds). When present, it is exact: every instance not named in it is
 *     equal to the one the previous discovery held.
 */
public record Discovery(
    List<Instance> instances,
    List<Problem> problems,
    Instant observedAt,
    DiscoveryStats stats,
    Optional<InstanceChanges> changes) {

  private static final Comparator<Instance> BY_ID = Comparator.comparing(Instance::id);

  public Discovery {
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(problems, "problems");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(changes, "changes");
    Instance[] sorted = instances.toArray(new Instance[0]);
    for (Instance instance : sorted) {
      Objects.requireNonNull(instance, "instance");
    }
    Arrays.sort(sorted, BY_ID);
    // Sorted, a repeated id sits next to itself: no set of ids needed.
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].id().equals(sorted[i - 1].id())) {
        throw new IllegalArgumentException("instance id '" + sorted[i].id() + "' appears twice");
      }
    }
    Set<String> names = new HashSet<>(sorted.length * 2);
    for (Instance instance : sorted) {
      if (!names.add(instance.name())) {
        throw new IllegalArgumentException("instance name '" + instance.name() + "' appears twice");
      }
    }
    changes.ifPresent(c -> requireConsistent(c, sorted));
    instances = List.of(sorted);
    problems = List.copyOf(problems);
  }

  /** A discovery that tells nothing about what changed since the previous one. */
  public Discovery(
      List<Instance> instances, List<Problem> problems, Instant observedAt, DiscoveryStats stats) {
    this(instances, problems, observedAt, stats, Optional.empty());
  }

  private static void requireConsistent(InstanceChanges changes, Instance[] byId) {
    for (Set<String> present : List.of(changes.added(), changes.changed())) {
      for (String id : present) {
        if (!contains(byId, id)) {
          throw new IllegalArgumentException(
              "changes name instance id '"
                  + id
                  + "' as present, but it is not among the instances");
        }
      }
    }
    for (String id : changes.removed()) {
      if (contains(byId, id)) {
        throw new IllegalArgumentException(
            "changes name instance id '" + id + "' as removed, but it is among the instances");
      }
    }
  }

  private static boolean contains(Instance[] byId, String id) {
    int low = 0;
    int high = byId.length - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = byId[middle].id().compareTo(id);
      if (order == 0) {
        return true;
      }
      if (order < 0) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return false;
  }
}
