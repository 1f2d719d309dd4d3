package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.translator.InputChanges;
import io.azmesh.xds.translator.Membership;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.Translator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns instances into xDS resources: the translator with its mesh configuration bound. Must be
 * pure: equal inputs give equal results, which is what makes versions stable across refreshes,
 * restarts and replicas.
 */
@FunctionalInterface
public interface TranslationFunction {

  /** Translates the instances with the endpoints and services the control loop retains. */
  Translation translate(TranslationInput input);

  /**
   * Translates the instances alone.
   *
   * @param instances the instances to publish
   * @param drainingInstanceIds ids of instances to publish as DRAINING rather than HEALTHY
   */
  default Translation translate(List<Instance> instances, Set<String> drainingInstanceIds) {
    return translate(TranslationInput.of(instances, drainingInstanceIds));
  }

  /**
   * Translates {@code input}, whose instances differ from those of this function's previous
   * translation only as {@code changes} says; the result must equal {@link #translate(
   * TranslationInput)}'s. By default it translates everything; the production translation rebuilds
   * only the changed instances and their services.
   */
  default Translation translate(TranslationInput input, InputChanges changes) {
    return translate(input);
  }

  /**
   * The membership a translation of {@code instances} alone finds: who serves where, which services
   * each names, and which services there are. By default it translates them (and each alone, for
   * the services it names); the production translation finds it without building resources.
   */
  default Membership membership(List<Instance> instances) {
    Translation translation = translate(TranslationInput.of(instances, Set.of()));
    Map<String, List<String>> servingIn = new HashMap<>();
    for (InstanceStatus status : translation.instances()) {
      for (InstanceStatus.ServiceEndpoint endpoint : status.endpoints()) {
        if (endpoint.state() == InstanceStatus.State.SERVING) {
          servingIn
              .computeIfAbsent(status.instance().id(), id -> new ArrayList<>())
              .add(endpoint.service());
        }
      }
    }
    Set<String> services = clusters(translation);
    Set<String> base = clusters(translate(TranslationInput.of(List.of(), Set.of())));
    Map<String, List<String>> named = new HashMap<>();
    for (Instance instance : instances) {
      Set<String> alone = clusters(translate(TranslationInput.of(List.of(instance), Set.of())));
      alone.removeAll(base);
      if (!alone.isEmpty()) {
        named.put(instance.id(), List.copyOf(alone));
      }
    }
    return new Membership(servingIn, named, services);
  }

  private static Set<String> clusters(Translation translation) {
    Set<String> services = new TreeSet<>();
    translation.resources().clusters().forEach(c -> services.add(c.getName()));
    return services;
  }

  /**
   * What the last translation rebuilt, if this function counts it; for tests of the work a change
   * costs.
   */
  default Optional<Translator.Work> lastWork() {
    return Optional.empty();
  }

  /**
   * A translation equal to this one that shares nothing remembered with it: the full recompute the
   * control loop checks its incremental results against, and replaces this one with when they
   * differ. A translation that remembers nothing between calls is its own fresh copy.
   */
  default TranslationFunction fresh() {
    return this;
  }

  /** The production translation: azmesh's {@link Translator} with this mesh configuration. */
  static TranslationFunction of(MeshConfig config) {
    Objects.requireNonNull(config, "config");
    Translator translator = new Translator();
    return new TranslationFunction() {
      @Override
      public Translation translate(TranslationInput input) {
        return translator.translate(config, input);
      }

      @Override
      public Translation translate(TranslationInput input, InputChanges changes) {
        return translator.translate(config, input, Optional.of(changes));
      }

      @Override
      public Membership membership(List<Instance> instances) {
        return translator.membership(config, instances);
      }

      @Override
      public Optional<Translator.Work> lastWork() {
        return Optional.of(translator.lastWork());
      }

      @Override
      public TranslationFunction fresh() {
        return of(config);
      }
    };
  }
}
