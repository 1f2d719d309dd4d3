package io.azmesh.xds.server.serving;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every resource of one type in one published snapshot, by name, and which names changed in the
 * last few publishes: a stream that is a few publishes behind looks only at those names, so the
 * cost of a change grows with the change, not with the number of resources.
 */
final class ServedType {
  /** Publishes whose changed names are remembered; a stream further behind compares everything. */
  static final int REMEMBERED_PUBLISHES = 32;

  private final XdsType type;
  private final String version;
  private final SortedMap<String, ServedResource> resources;
  private final List<Change> recent;
  private final long completeAfter;
  private final List<ServedResource> wildcard;
  private final String wildcardVersion;

  /** The names that changed (added, changed or removed) in the publish of one generation. */
  private record Change(long generation, Set<String> names) {}

  private ServedType(
      XdsType type,
      String version,
      SortedMap<String, ServedResource> resources,
      List<Change> recent,
      long completeAfter) {
    this.type = type;
    this.version = version;
    this.resources = resources;
    this.recent = recent;
    this.completeAfter = completeAfter;
    List<ServedResource> inWildcard = new ArrayList<>(resources.size());
    for (ServedResource resource : resources.values()) {
      if (resource.inWildcard()) {
        inWildcard.add(resource);
      }
    }
    this.wildcard = List.copyOf(inWildcard);
    if (inWildcard.size() == resources.size()) {
      this.wildcardVersion = version;
    } else {
      StringBuilder versions = new StringBuilder();
      for (ServedResource resource : inWildcard) {
        versions.append(resource.name()).append('\n').append(resource.version()).append('\n');
      }
      this.wildcardVersion = ServedResource.versionOf(versions.toString());
    }
  }

  /**
   * The resources of a type as published at {@code generation}, reusing the packed copy of every
   * resource whose content did not change since {@code previous}.
   */
  static <T extends Message> ServedType publish(
      XdsType type,
      String version,
      List<T> messages,
      Function<T, String> nameOf,
      Optional<ServedType> previous,
      long generation) {
    SortedMap<String, ServedResource> before =
        previous.map(p -> p.resources).orElse(Collections.emptySortedMap());
    // Both in name order (XdsResources sorts them): one walk finds what changed, and the map is
    // the previous one copied (linear) with only those names put or removed.
    TreeMap<String, ServedResource> now = new TreeMap<>(before);
    Set<String> changed = new HashSet<>();
    Iterator<Map.Entry<String, ServedResource>> old = before.entrySet().iterator();
    Map.Entry<String, ServedResource> at = old.hasNext() ? old.next() : null;
    String last = null;
    for (T message : messages) {
      String name = nameOf.apply(message);
      if (last != null && last.compareTo(name) >= 0) {
        throw new IllegalArgumentException(
            type + " resources are not in name order: '" + name + "' after '" + last + "'");
      }
      last = name;
      while (at != null && at.getKey().compareTo(name) < 0) {
        now.remove(at.getKey());
        changed.add(at.getKey());
        at = old.hasNext() ? old.next() : null;
      }
      ServedResource was = null;
      if (at != null && at.getKey().equals(name)) {
        was = at.getValue();
        at = old.hasNext() ? old.next() : null;
      }
      if (was != null && was.message() == message) {
        continue;
      }
      ServedResource packed = ServedResource.pack(type, name, message);
      if (was != null && was.version().equals(packed.version())) {
        now.put(name, was.sameAs(message));
      } else {
        now.put(name, packed);
        changed.add(name);
      }
    }
    while (at != null) {
      now.remove(at.getKey());
      changed.add(at.getKey());
      at = old.hasNext() ? old.next() : null;
    }
    List<Change> recent = new ArrayList<>();
    recent.add(new Change(generation, Set.copyOf(changed)));
    long completeAfter = generation - 1;
    if (previous.isPresent()) {
      recent.addAll(previous.get().recent);
      completeAfter = previous.get().completeAfter;
      while (recent.size() > REMEMBERED_PUBLISHES) {
        completeAfter = recent.remove(recent.size() - 1).generation();
      }
    }
    return new ServedType(
        type, version, Collections.unmodifiableSortedMap(now), List.copyOf(recent), completeAfter);
  }

  XdsType type() {
    return type;
  }

  /** The content hash of the whole set: the version_info of state-of-the-world responses. */
  String version() {
    return version;
  }

  /** What a wildcard subscription is served, by name: every resource but API listeners. */
  List<ServedResource> wildcard() {
    return wildcard;
  }

  /** The version of the wildcard set: the type's version when that is every resource. */
  String wildcardVersion() {
    return wildcardVersion;
  }

  SortedMap<String, ServedResource> resources() {
    return resources;
  }

  ServedResource get(String name) {
    return resources.get(name);
  }

  /**
   * The names that changed in publishes after {@code generation}; empty if that is further back
   * than is remembered, and the caller must compare every name.
   */
  Optional<Set<String>> changedAfter(long generation) {
    if (generation < completeAfter) {
      return Optional.empty();
    }
    Set<String> names = new HashSet<>();
    for (Change change : recent) {
      if (change.generation() <= generation) {
        break;
      }
      names.addAll(change.names());
    }
    return Optional.of(names);
  }
}
