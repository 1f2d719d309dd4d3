package io.azmesh.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code meshctl serve --provider file} running from the shaded jar in a child JVM, bound to
 * 127.0.0.1 on ports it picks itself. Its log lines are read as they come, so a test waits for a
 * line instead of polling for it.
 */
final class ServeReplica implements AutoCloseable {
  private static final Pattern SERVING =
      Pattern.compile("serving: discovery by file, xDS on (\\S+):(\\d+), status API on (\\S+)");

  /** How long a replica may take to log a line a test waits for before the test fails. */
  private static final long LINE_DEADLINE_SECONDS = 120;

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final int xdsPort;

  private ServeReplica(String name, Process process) throws InterruptedException {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::readLines, "replica-" + name + "-log");
    reader.setDaemon(true);
    reader.start();
    this.xdsPort = Integer.parseInt(awaitLine(SERVING).group(2));
  }

  /** Starts a replica on {@code inventory}; returns once it serves xDS. */
  static ServeReplica start(String name, Path jar, Path inventory)
      throws IOException, InterruptedException {
    return start(name, jar, inventory, 0, List.of());
  }

  /**
   * Starts a replica on {@code inventory} with xDS on {@code xdsPort} (0 picks one; a restart
   * passes the port its clients know) and {@code options} added; returns once it serves xDS. The
   * same {@code name} is the same state directory.
   */
  static ServeReplica start(
      String name, Path jar, Path inventory, int xdsPort, List<String> options)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "serve",
                "--provider",
                "file",
                "--inventory",
                inventory.toString(),
                // Each replica its own state: replicas never share a state directory.
                "--state-dir",
                inventory.resolveSibling("state-" + name).toString(),
                "--xds-bind",
                "127.0.0.1",
                "--xds-port",
                Integer.toString(xdsPort),
                "--status-bind",
                "127.0.0.1",
                "--status-port",
                "0"));
    command.addAll(options);
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    return new ServeReplica(name, process);
  }

  int xdsPort() {
    return xdsPort;
  }

  /** Waits until the replica logs a line matching {@code pattern}, and returns its match. */
  Matcher awaitLine(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINE_DEADLINE_SECONDS);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError(
            "replica "
                + name
                + " logged no line matching "
                + pattern
                + " within "
                + LINE_DEADLINE_SECONDS
                + " s; it logged:\n"
                + String.join("\n", seen));
      }
      seen.add(line);
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
  }

  /** Ends the process the way a crashed VM does: no shutdown hooks, no goodbye to clients. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("replica " + name + " did not end after SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private void readLines() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of replica " + name, e);
    }
  }
}
