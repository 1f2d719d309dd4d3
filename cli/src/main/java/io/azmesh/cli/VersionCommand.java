package io.azmesh.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meshctl version}: the meshctl and Java versions. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Prints the meshctl version and the Java runtime it runs on.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (String line : new MeshctlVersion().getVersion()) {
      out.println(line);
    }
    out.flush();
    return 0;
  }
}
