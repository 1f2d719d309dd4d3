package io.azmesh.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The settings {@code meshctl serve} would start with for some arguments and environment, read by
 * the real option parsing, defaults and config file; nothing binds a port. Whoever asks owns the
 * provider in the settings.
 */
final class ParsedServe {
  private ParsedServe() {}

  static Serving.Settings settings(Map<String, String> environment, String... args) {
    CommandLine meshctl = Meshctl.commandLine(environment);
    ParseResult parsed = meshctl.parseArgs(args);
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    return serve.settings();
  }
}
