package io.azmesh.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** A usage error: one line naming the option and value, a pointer to --help, exit code 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("meshctl: " + ex.getMessage());
    if (Verbosity.of(command) == Verbosity.VERBOSE && ex.getCause() != null) {
      ex.getCause().printStackTrace(err);
    }
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }
}
