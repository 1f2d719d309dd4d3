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
    err.println("meshctl: " + message(ex));
    if (Verbosity.of(command) == Verbosity.VERBOSE) {
      ex.printStackTrace(err);
    }
    err.flush();
    return RUNTIME_FAILURE;
  }

  /**
   * The message, followed by those of its causes that add something: "cannot serve xDS on
   * 0.0.0.0:18000: Address already in use" rather than only the first half.
   */
  static String message(Throwable ex) {
    StringBuilder text =
        new StringBuilder(ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage());
    for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
      String more = cause.getMessage();
      if (more != null && !more.isBlank() && text.indexOf(more) < 0) {
        text.append(": ").append(more);
      }
    }
    return text.toString();
  }
}
