package io.azmesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;

/** Sets the log level from the chosen verbosity, then runs the last subcommand given. */
final class LoggingExecutionStrategy implements IExecutionStrategy {
  @Override
  public int execute(ParseResult parseResult) {
    ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine command = last.commandSpec().commandLine();
    LogSetup.apply(Verbosity.of(command));
    return new RunLast().execute(parseResult);
  }
}
