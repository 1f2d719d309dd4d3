package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a translation's instances differ from those of the previous translation by the same {@link
 * Translator}: the instances are {@code since} except those with these ids, added, changed or
 * removed. With it, a translation rebuilds only those instances and the services they are (or were)
 * in; the result is the same as without it. A translator that did not translate {@code since} last
 * (compared by identity) ignores it and translates everything.
 *
 * @param since the instance list of the previous translation, the very object
 * @param instanceIds ids of the instances that differ from {@code since}
 */
public record InputChanges(List<Instance> since, Set<String> instanceIds) {
  public InputChanges {
    Objects.requireNonNull(since, "since");
    instanceIds = Set.copyOf(instanceIds);
  }
}
