package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates discovered instances into Envoy resources. Pure and deterministic: no I/O, no clock,
 * and the same input in any order gives the same resources and versions.
 *
 * <p>Clusters, listeners and routes depend only on the set of services and the config, never on
 * which instances are in a service, so endpoint churn changes only ClusterLoadAssignments.
 */
public final class Translator {
  // Only this translator's previous output, reused where the input is unchanged.
  private final ResourceMemo memo = new ResourceMemo();
  // The last translation by instance and service, to rebuild only what changed.
  private TranslationState last;

  /**
   * How many resources the last translation serialized and hashed for its versions: those it did
   * not reuse from the translation before. A test hook for the cost of a change.
   */
  synchronized int digestedInLastTranslation() {
    return memo.digestedInLastCall();
  }

  /**
   * Translates {@code instances}.
   *
   * @param drainingInstanceIds instances to publish as DRAINING whatever their power state; the
   *     caller decides who drains and for how long
   * @throws IllegalArgumentException if two instances share an id
   */
  public synchronized Translation translate(
      MeshConfig config, List<Instance> instances, Set<String> drainingInstanceIds) {
    return translate(config, TranslationInput.of(instances, drainingInstanceIds));
  }

  /**
   * Translates the instances with what the control loop retains: endpoints kept in services their
   * instances left, and services kept with no instances.
   *
   * @throws IllegalArgumentException if two instances share an id, or an endpoint is retained twice
   *     in one service
   */
  public synchronized Translation translate(MeshConfig config, TranslationInput input) {
    return translate(config, input, Optional.empty());
  }

  /**
   * Translates {@code input}, rebuilding only what {@code changes} says differs from this
   * translator's previous input (and the retained endpoints and kept services that differ from it);
   * the result is the one {@link #translate(MeshConfig, TranslationInput)} gives. Changes that are
   * not relative to this translator's previous input and config are ignored: everything is
   * translated.
   *
   * @throws IllegalArgumentException if two instances share an id, or an endpoint is retained twice
   *     in one service
   */
  public synchronized Translation translate(
      MeshConfig config, TranslationInput input, Optional<InputChanges> changes) {
    if (last == null || (last.config() != config && !last.config().equals(config))) {
      last = new TranslationState(config, memo);
      changes = Optional.empty();
    }
    try {
      return last.translate(input, changes);
    } catch (RuntimeException e) {
      // Whatever was half applied is forgotten: the next translation starts over.
      last = null;
      throw e;
    }
  }

  /** What the last translation rebuilt; a test's measure of the work a change costs. */
  public synchronized Work lastWork() {
    return last == null ? new Work(0, 0) : last.work();
  }

  /**
   * What one translation rebuilt.
   *
   * @param instances instances whose status was computed again
   * @param services services whose resources were assembled again
   */
  public record Work(int instances, int services) {}

  /**
   * The membership {@link #translate} would find for {@code instances} alone, at a fraction of its
   * cost: no endpoint, resource or status is built.
   *
   * @throws IllegalArgumentException if two instances share an id
   */
  public synchronized Membership membership(MeshConfig config, List<Instance> instances) {
    ServiceMembership membership = new ServiceMembership(config, memo);
    Map<String, List<String>> servingIn = new HashMap<>();
    Map<String, List<String>> named = new HashMap<>();
    for (Instance instance : sortedUnique(instances)) {
      ServiceMembership.Place place = membership.place(instance);
      if (!place.serving().isEmpty()) {
        servingIn.put(instance.id(), place.serving());
      }
      if (!place.named().isEmpty()) {
        named.put(instance.id(), place.named());
      }
    }
    return new Membership(
        servingIn, named, java.util.Collections.unmodifiableSet(membership.services().keySet()));
  }

  /** The instances in id order; throws if two share an id. */
  static List<Instance> sortedUnique(List<Instance> instances) {
    if (strictlyIncreasingIds(instances)) {
      return instances;
    }
    Set<String> ids = new HashSet<>();
    for (Instance instance : instances) {
      if (!ids.add(instance.id())) {
        throw new IllegalArgumentException("instance id '" + instance.id() + "' appears twice");
      }
    }
    return instances.stream().sorted(Comparator.comparing(Instance::id)).toList();
  }

  /** In strictly increasing id order, so unique without a set (what {@code Discovery} gives). */
  private static boolean strictlyIncreasingIds(List<Instance> instances) {
    String last = null;
    for (Instance instance : instances) {
      if (last != null && last.compareTo(instance.id()) >= 0) {
        return false;
      }
      last = instance.id();
    }
    return true;
  }
}
