package io.azmesh.cli;

import java.nio.file.Path;
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

  /**
   * Starts serve in this process on the file provider with {@code config}, on 127.0.0.1 and ports
   * it picks, with {@code stateDirectory} its own; returns once its first snapshot is published.
   */
  static Serving startWithConfig(Path config, Path inventory, Path stateDirectory)
      throws InterruptedException {
    Serving serving =
        Serving.start(
            settings(
                Map.of(),
                "serve",
                "--config=" + config,
                "--provider=file",
                "--inventory=" + inventory,
                "--xds-bind=127.0.0.1",
                "--xds-port=0",
                "--status-port=0",
                "--state-dir=" + stateDirectory));
    Await.until(() -> serving.state().published().isPresent(), "the first snapshot of " + config);
    return serving;
  }
}
