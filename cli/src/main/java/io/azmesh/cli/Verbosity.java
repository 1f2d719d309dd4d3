package io.azmesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** How much meshctl says: warnings and one-line errors, or debug logs and stack traces. */
enum Verbosity {
  QUIET,
  VERBOSE;

  /** The verbosity chosen for {@code command} by flag, environment or config file. */
  static Verbosity of(CommandLine command) {
    OptionSpec option = command.getCommandSpec().findOption(CommonOptions.VERBOSE);
    return option != null && Boolean.TRUE.equals(option.getValue()) ? VERBOSE : QUIET;
  }
}
