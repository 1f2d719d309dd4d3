package io.azmesh.discovery;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The result of one successful discovery: what was found, what was left out and why, and how each
 * scope fared.
 *
 * <p>Instances are sorted by id, so two discoveries of the same world are equal whatever order the
 * source listed them in. Ids and names are unique.
 *
 * @param changes what differs from the previous discovery of the same provider, when the provider
 *     can tell; empty means "compare the whole world" (a first discovery, or a provider that
 *     reports only whole worlds). When present, it is exact: every instance not named in it is
 *     equal to the one the previous discovery held.
 * @param scopes one entry per scope of a provider that lists several (Azure's subscriptions and
 *     resource groups): a scope that failed keeps its last good instances among {@code instances}
 *     and says so here; empty for a provider with one scope, which fails as a whole
 */
public record Discovery(
    List<Instance> instances,
    List<Problem> problems,
    Instant observedAt,
    DiscoveryStats stats,
    Optional<InstanceChanges> changes,
    List<DiscoveryScope> scopes) {

  public Discovery {
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(problems, "problems");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(changes, "changes");
    // In id order, as List.copyOf's kind of list: copied again by nobody (TranslationInput keeps
    // this very object, which the translator recognizes the next discovery's changes by). A
    // provider's list is usually in order already: one pass checks it, and ids in strictly
    // increasing order are unique.
    Instance[] sorted = instances.toArray(new Instance[0]);
    boolean inOrder = true;
    for (int i = 0; i < sorted.length; i++) {
      Objects.requireNonNull(sorted[i], "instance");
      inOrder &= i == 0 || sorted[i - 1].id().compareTo(sorted[i].id()) < 0;
    }
    if (!inOrder) {
      Arrays.sort(sorted, Comparator.comparing(Instance::id));
      for (int i = 1; i < sorted.length; i++) {
        if (sorted[i - 1].id().equals(sorted[i].id())) {
          throw new IllegalArgumentException("instance id '" + sorted[i].id() + "' appears twice");
        }
      }
    }
    // Names that are their ids (an inventory's) are unique as the ids are: no set to build.
    boolean namedByIds = true;
    for (int i = 0; i < sorted.length && namedByIds; i++) {
      namedByIds = sorted[i].name().equals(sorted[i].id());
    }
    if (!namedByIds) {
      Set<String> names = new HashSet<>(sorted.length * 2);
      for (Instance instance : sorted) {
        if (!names.add(instance.name())) {
          throw new IllegalArgumentException(
              "instance name '" + instance.name() + "' appears twice");
        }
      }
    }
    // The caller's list itself when it is already such a list in order (a provider's unchanged
    // world stays the same object, which the loop recognizes it by).
    instances = inOrder ? List.copyOf(instances) : List.of(sorted);
    List<Instance> byId = instances;
    changes.ifPresent(c -> requireConsistent(c, byId));
    problems = List.copyOf(problems);
    scopes = List.copyOf(scopes);
  }

  /** A discovery of a provider with one scope that tells nothing about what changed. */
  public Discovery(
      List<Instance> instances, List<Problem> problems, Instant observedAt, DiscoveryStats stats) {
    this(instances, problems, observedAt, stats, Optional.empty(), List.of());
  }

  /** This discovery, saying exactly what changed since the provider's previous one. */
  public Discovery withChanges(InstanceChanges changes) {
    return new Discovery(instances, problems, observedAt, stats, Optional.of(changes), scopes);
  }

  /** This discovery, with the health of each scope the provider listed. */
  public Discovery withScopes(List<DiscoveryScope> scopes) {
    return new Discovery(instances, problems, observedAt, stats, changes, scopes);
  }

  private static void requireConsistent(InstanceChanges changes, List<Instance> byId) {
    for (Set<String> present : List.of(changes.added(), changes.changed())) {
      for (String id : present) {
        if (find(byId, id).isEmpty()) {
          throw new IllegalArgumentException(
              "changes name instance id '"
                  + id
                  + "' as present, but it is not among the instances");
        }
      }
    }
    for (String id : changes.removed()) {
      if (find(byId, id).isPresent()) {
        throw new IllegalArgumentException(
            "changes name instance id '" + id + "' as removed, but it is among the instances");
      }
    }
  }

  /**
   * The instance with this id in {@code sortedById} (a discovery's instances are), by binary
   * search.
   */
  public static Optional<Instance> find(List<Instance> sortedById, String id) {
    int at = indexOf(sortedById, id);
    return at >= 0 ? Optional.of(sortedById.get(at)) : Optional.empty();
  }

  /**
   * Where the instance with this id is in {@code sortedById}, or {@code -(insertion point) - 1}, as
   * {@link java.util.Collections#binarySearch} says.
   */
  public static int indexOf(List<Instance> sortedById, String id) {
    return indexOf(sortedById, Instance::id, id);
  }

  /** {@link #indexOf(List, String)} in a list of anything sorted by the id {@code idOf} gives. */
  public static <T> int indexOf(List<T> sortedById, Function<T, String> idOf, String id) {
    int low = 0;
    int high = sortedById.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = idOf.apply(sortedById.get(mid)).compareTo(id);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }
}
