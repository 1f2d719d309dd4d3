package io.azmesh.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** A runtime failure: one line {@code meshctl: <message>}, the stack trace only when verbose. */
final class ExecutionErrorHandler implements IExecutionExceptionHandler {
  /** The exit code of a command that failed while running. */
  static final int RUNTIME_FAILURE = 1;

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    String message = ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage();
    err.println("meshctl: " + message);
    if (Verbosity.of(command) == Verbosity.VERBOSE) {
      ex.printStackTrace(err);
    }
    err.flush();
    return RUNTIME_FAILURE;
  }
}
