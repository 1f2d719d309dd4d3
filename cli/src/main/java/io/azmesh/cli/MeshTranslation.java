package io.azmesh.cli;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.TranslationFunction;
import io.azmesh.xds.server.TranslationResult;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.Translator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The translator with one mesh configuration bound: what the control loop calls. */
final class MeshTranslation implements TranslationFunction {
  private final Translator translator = new Translator();
  private final MeshConfig config;

  MeshTranslation(MeshConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public TranslationResult translate(List<Instance> instances, Set<String> drainingInstanceIds) {
    Translation translation = translator.translate(config, instances, drainingInstanceIds);
    return new TranslationResult(
        translation.resources(), translation.instances(), translation.problems());
  }
}
