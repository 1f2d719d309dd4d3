package io.azmesh.discovery.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link DiscoverMain} in a fresh JVM with exactly the given environment. */
record ChildJvm(Map<String, String> environment, List<String> systemProperties) {

  record Result(int exitCode, List<String> lines) {}

  Result discover(List<String> settings) throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Djava.net.preferIPv4Stack=true");
    command.addAll(systemProperties);
    command.add(DiscoverMain.class.getName());
    command.addAll(settings);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("child JVM did not exit; output:\n" + output);
      }
      return new Result(process.exitValue(), output.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM", e);
    }
  }
}
