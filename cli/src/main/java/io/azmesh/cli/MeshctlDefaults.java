package io.azmesh.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Option values not given as flags: first {@code MESHCTL_<OPTION>} from the environment, then the
 * {@code meshctl:} section of the {@code --config} file, then the option's own default. So flags
 * win over the environment, which wins over the file.
 */
final class MeshctlDefaults implements IDefaultValueProvider {
  private static final String PREFIX = "MESHCTL_";
  private static final Set<String> NOT_CONFIGURABLE = Set.of("help", "version");

  private final CommandLine root;
  private final Map<String, String> environment;
  private final Map<Path, ConfigFile> files = new HashMap<>();

  MeshctlDefaults(CommandLine root, Map<String, String> environment) {
    this.root = Objects.requireNonNull(root, "root");
    this.environment = Map.copyOf(environment);
  }

  /** The environment variable for an option: {@code xds-port} -> {@code MESHCTL_XDS_PORT}. */
  static String environmentVariable(String option) {
    return PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    String name = option.longestName().substring(2);
    if (NOT_CONFIGURABLE.contains(name)) {
      return null;
    }
    String fromEnvironment = environment.get(environmentVariable(name));
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    if (option.longestName().equals(CommonOptions.CONFIG)) {
      return null;
    }
    return configFile(option.command()).flatMap(file -> file.value(name)).orElse(null);
  }

  /** The config file named by this command's {@code --config} flag or by MESHCTL_CONFIG. */
  private Optional<ConfigFile> configFile(CommandSpec command) {
    OptionSpec config = command.findOption(CommonOptions.CONFIG);
    Object flag = config == null ? null : config.getValue();
    String value = flag != null ? flag.toString() : environment.get(environmentVariable("config"));
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    Path path = Path.of(value);
    ConfigFile file = files.get(path);
    if (file == null) {
      try {
        file = ConfigFile.read(path);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(command.commandLine(), e.getMessage(), e);
      }
      requireKnownOptions(command, file);
      files.put(path, file);
    }
    return Optional.of(file);
  }

  private void requireKnownOptions(CommandSpec command, ConfigFile file) {
    unknownOption(file, knownOptions(root.getCommandSpec()))
        .ifPresent(
            message -> {
              throw new ParameterException(command.commandLine(), message);
            });
  }

  /** Every option name the config file's section may set: long names of all commands, no dashes. */
  static Set<String> knownOptions(CommandSpec root) {
    Set<String> known = new TreeSet<>();
    collectOptions(root, known);
    return known;
  }

  /** The first option {@code file} sets that is none of {@code known}, as an error message. */
  static Optional<String> unknownOption(ConfigFile file, Set<String> known) {
    return file.settings().entrySet().stream()
        .filter(setting -> !known.contains(setting.getKey()))
        .findFirst()
        .map(
            setting ->
                file.path()
                    + ":"
                    + setting.getValue().line()
                    + ": "
                    + ConfigFile.SECTION
                    + "."
                    + setting.getKey()
                    + " is not an option of any meshctl command");
  }

  private static void collectOptions(CommandSpec spec, Set<String> names) {
    for (OptionSpec option : spec.options()) {
      String name = option.longestName();
      if (name.startsWith("--") && !NOT_CONFIGURABLE.contains(name.substring(2))) {
        names.add(name.substring(2));
      }
    }
    spec.subcommands().values().forEach(sub -> collectOptions(sub.getCommandSpec(), names));
  }
}
