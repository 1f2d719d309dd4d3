package io.azmesh.cli;

import java.util.List;
import java.util.Map;

/**
 * A child process that inherits nothing from the host's environment: no {@code AZURE_*} credentials
 * or endpoints, no {@code STATE_DIRECTORY}, nothing a developer's shell or a CI runner happens to
 * set, as {@code ChildJvm} does in discovery-azure. Only the environment given, plus a UTF-8 locale
 * so the child writes its output the same way everywhere.
 */
final class IsolatedProcess {
  private IsolatedProcess() {}

  static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("LANG", "C.UTF-8");
    builder.environment().putAll(environment);
    return builder;
  }

  static ProcessBuilder builder(String... command) {
    return builder(List.of(command), Map.of());
  }
}
