package io.azmesh.cli;

import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.MeshConfigException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options every command takes. */
public final class CommonOptions {
  /** The long name of the config file option, read before the other defaults. */
  static final String CONFIG = "--config";

  /** The long name of the verbose option, read by the error handler and the log setup. */
  static final String VERBOSE = "--verbose";

  @Option(
      names = {"-v", VERBOSE},
      description = "Show debug logs of azmesh and stack traces of errors.")
  boolean verbose;

  @Option(
      names = CONFIG,
      paramLabel = "PATH",
      description =
          "The azmesh config file (YAML). Its 'meshctl:' section sets option defaults; serve and"
              + " render read the mesh configuration from the rest.")
  Path config;

  /** The config file, if one was given by flag, environment or not at all. */
  Optional<Path> config() {
    return Optional.ofNullable(config);
  }

  /**
   * The mesh configuration in the config file, or the defaults without one; a file the translator
   * rejects is a usage error naming the file, line and field.
   */
  MeshConfig meshConfig(CommandLine commandLine) {
    return meshConfig(commandLine, configFile(commandLine));
  }

  /** The config file as read now, if one was given; one that cannot be read is a usage error. */
  Optional<ConfigFile> configFile(CommandLine commandLine) {
    if (config == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfigFile.read(config));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, e.getMessage(), e);
    }
  }

  /**
   * The mesh configuration in {@code file}, or the defaults without one; as {@link #meshConfig}.
   */
  MeshConfig meshConfig(CommandLine commandLine, Optional<ConfigFile> file) {
    if (file.isEmpty()) {
      return MeshConfig.defaults();
    }
    try {
      return MeshConfig.parse(file.get().meshConfigText(), file.get().path().toString());
    } catch (MeshConfigException | IllegalArgumentException e) {
      throw new ParameterException(commandLine, e.getMessage(), e);
    }
  }
}
