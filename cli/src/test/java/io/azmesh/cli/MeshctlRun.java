package io.azmesh.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One in-process run of meshctl with its own environment, output captured. */
record MeshctlRun(int exitCode, String out, String err) {

  static MeshctlRun of(String... args) {
    return withEnvironment(Map.of(), args);
  }

  static MeshctlRun withEnvironment(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Meshctl.commandLine(environment);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new MeshctlRun(exitCode, out.toString(), err.toString());
  }
}
