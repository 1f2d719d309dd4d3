package io.azmesh.xds.server;

import io.azmesh.discovery.Instance;
import java.util.List;
import java.util.Set;

/**
 * Turns instances into xDS resources; the translator with its mesh configuration bound. Must be
 * pure: the same instances and draining ids give equal results, which is what makes versions stable
 * across refreshes, restarts and replicas.
 */
@FunctionalInterface
public interface TranslationFunction {

  /**
   * Translates the instances.
   *
   * @param instances the instances to publish, running ones first-class
   * @param drainingInstanceIds ids of instances to publish as DRAINING rather than HEALTHY
   */
  TranslationResult translate(List<Instance> instances, Set<String> drainingInstanceIds);
}
