package io.azmesh.xds.server;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.Translator;
import java.util.List;
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

  /** The production translation: azmesh's {@link Translator} with this mesh configuration. */
  static TranslationFunction of(MeshConfig config) {
    Objects.requireNonNull(config, "config");
    Translator translator = new Translator();
    return input -> translator.translate(config, input);
  }
}
