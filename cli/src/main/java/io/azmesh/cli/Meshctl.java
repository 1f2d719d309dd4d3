package io.azmesh.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code meshctl}: discovers instances and serves them to Envoy over xDS. */
@Command(
    name = "meshctl",
    mixinStandardHelpOptions = true,
    versionProvider = MeshctlVersion.class,
    description = "Discovers Azure VMs (or an inventory file) and serves them to Envoy over xDS.",
    subcommands = {
      DiscoverCommand.class,
      ServeCommand.class,
      RenderCommand.class,
      BootstrapCommand.class,
      StatusCommand.class,
      EventsCommand.class,
      VersionCommand.class,
      CompletionCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  runtime failure (discovery failed, a file could not be read, ...)",
      "  2  usage error (unknown option, bad value, missing setting)",
      "",
      "Every option can also be set as MESHCTL_<OPTION> in the environment (--xds-port ->"
          + " MESHCTL_XDS_PORT) or under 'meshctl:' in the --config file; flags win over the"
          + " environment, which wins over the file."
    })
public final class Meshctl implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs meshctl and exits with its exit code. */
  public static void main(String[] args) {
    LogSetup.bridgeJavaUtilLogging();
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /**
   * The fully configured command line: defaults from {@code environment} and the config file,
   * one-line error messages and exit codes. Tests run it with their own environment and output.
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new Meshctl());
    commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setDefaultValueProvider(new MeshctlDefaults(commandLine, environment))
        .setExecutionStrategy(new LoggingExecutionStrategy())
        .setParameterExceptionHandler(new UsageErrorHandler())
        .setExecutionExceptionHandler(new ExecutionErrorHandler());
    return commandLine;
  }

  /** Without a subcommand, meshctl shows its help: it has nothing to do on its own. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
