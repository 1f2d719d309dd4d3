package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.translator.Membership;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.Translator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
   * The membership a translation of {@code instances} alone finds: who serves where, and which
   * services there are. By default it translates them; the production translation finds it without
   * building resources.
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
    Set<String> services = new HashSet<>();
    translation.resources().clusters().forEach(c -> services.add(c.getName()));
    return new Membership(servingIn, services);
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
      public Membership membership(List<Instance> instances) {
        return translator.membership(config, instances);
      }

      @Override
      public TranslationFunction fresh() {
        return of(config);
      }
    };
  }
}
