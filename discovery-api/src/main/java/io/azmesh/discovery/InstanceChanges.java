package io.azmesh.discovery;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which instances differ between a provider's previous discovery and this one, by id, so a caller
 * can work on those alone. An instance is changed when any of its fields differs.
 *
 * @param added ids present now and not before
 * @param changed ids present in both whose instance differs
 * @param removed ids present before and not now
 */
public record InstanceChanges(Set<String> added, Set<String> changed, Set<String> removed) {

  /** Nothing changed. */
  public static final InstanceChanges NONE = new InstanceChanges(Set.of(), Set.of(), Set.of());

  public InstanceChanges {
    added = sorted(added, "added");
    changed = sorted(changed, "changed");
    removed = sorted(removed, "removed");
    for (String id : added) {
      if (changed.contains(id) || removed.contains(id)) {
        throw new IllegalArgumentException(
            "instance id '" + id + "' is added and also changed or removed");
      }
    }
    for (String id : changed) {
      if (removed.contains(id)) {
        throw new IllegalArgumentException("instance id '" + id + "' is changed and also removed");
      }
    }
  }

  /** The changes from {@code before} to {@code after}, each a world with unique ids. */
  public static InstanceChanges between(Collection<Instance> before, Collection<Instance> after) {
    Map<String, Instance> previous = new HashMap<>(before.size() * 2);
    for (Instance instance : before) {
      previous.put(instance.id(), instance);
    }
    Set<String> added = new TreeSet<>();
    Set<String> changed = new TreeSet<>();
    for (Instance instance : after) {
      Instance old = previous.remove(instance.id());
      if (old == null) {
        added.add(instance.id());
      } else if (old != instance && !old.equals(instance)) {
        changed.add(instance.id());
      }
    }
    return new InstanceChanges(added, changed, previous.keySet());
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }

  private static Set<String> sorted(Set<String> ids, String name) {
    Objects.requireNonNull(ids, name);
    for (String id : ids) {
      Objects.requireNonNull(id, name + " id");
    }
    return Collections.unmodifiableSet(new TreeSet<>(ids));
  }
}
