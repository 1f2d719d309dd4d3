package io.azmesh.benchmarks.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code meshctl serve --provider file} as a child process on 127.0.0.1: its own JVM, started from
 * a command (normally {@code java -Xmx.. -jar cli/target/meshctl.jar}), observed from outside
 * through /proc, its status API and jcmd. Closing it stops it (SIGTERM, then SIGKILL).
 */
final class ServeProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private final Process process;
  private final Thread killOnExit;
  private final Path log;
  private final int xdsPort;
  private final int statusPort;
  private final HttpClient http;
  private final long ticksPerSecond;

  private ServeProcess(Process process, Path log, int xdsPort, int statusPort) {
    this.process = process;
    // A run stopped by its watchdog or by Ctrl-C must not leave the server behind.
    this.killOnExit = new Thread(process::destroyForcibly, "fleet-kill-serve");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    this.log = log;
    this.xdsPort = xdsPort;
    this.statusPort = statusPort;
    this.http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.ticksPerSecond = clockTicks();
  }

  /** The command that runs meshctl from its shaded jar with this heap and JVM options. */
  static List<String> jarCommand(Path meshctlJar, String heap, List<String> javaOptions) {
    if (!Files.isRegularFile(meshctlJar)) {
      throw new IllegalArgumentException(
          "no meshctl jar at "
              + meshctlJar.toAbsolutePath()
              + "; build it: ./mvnw -B -pl cli,benchmarks -am package -DskipTests");
    }
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap));
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", meshctlJar.toAbsolutePath().toString()));
    return command;
  }

  /** The {@code java} of the running JVM, so child and harness run the same JDK. */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code command serve --provider file --inventory FILE} bound to 127.0.0.1 on two free
   * ports, its output going to {@code log}. Removed instances stay DRAINING for an hour, so every
   * change of a run is exactly one publish and no drain expiry lands in a measurement. The
   * inventory is only ever replaced by a rename, so it is parsed without a settle time; the
   * server's state lives beside the inventory, never in the user's state directory.
   */
  static ServeProcess start(List<String> command, Path inventory, Path log) {
    int xds = freePort();
    int status = freePort();
    List<String> full = new ArrayList<>(command);
    full.addAll(
        List.of(
            "serve",
            "--provider",
            "file",
            "--inventory",
            inventory.toAbsolutePath().toString(),
            "--xds-bind",
            "127.0.0.1",
            "--xds-port",
            Integer.toString(xds),
            "--status-bind",
            "127.0.0.1",
            "--status-port",
            Integer.toString(status),
            "--drain-period",
            "1h",
            "--inventory-settle",
            "0ms",
            "--state-dir",
            inventory.toAbsolutePath().resolveSibling("serve-state").toString()));
    try {
      Process process =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      return new ServeProcess(process, log, xds, status);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
    }
  }

  /** A port free on 127.0.0.1 right now; the child binds it a moment later. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Waits until {@code /readyz} answers 200: the first snapshot is published. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "meshctl serve exited with " + process.exitValue() + ": " + logTail());
      }
      Optional<HttpResponse<String>> ready = get("/readyz");
      if (ready.isPresent() && ready.get().statusCode() == 200) {
        return;
      }
      Thread.sleep(POLL.toMillis());
    }
    String problems = get("/api/problems").map(HttpResponse::body).orElse("(no answer)");
    throw new IllegalStateException(
        "meshctl serve not ready after "
            + timeout
            + "; /api/problems: "
            + problems
            + "; log: "
            + logTail());
  }

  int xdsPort() {
    return xdsPort;
  }

  long pid() {
    return process.pid();
  }

  /** User plus system CPU time of the whole server process so far, from /proc. */
  Duration cpu() {
    String stat = read(Path.of("/proc", Long.toString(process.pid()), "stat"));
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return Duration.ofNanos(ticks * 1_000_000_000L / ticksPerSecond);
  }

  /** Resident memory now ({@code VmRSS}) and at its peak ({@code VmHWM}), in KiB. */
  Memory memory() {
    String status = read(Path.of("/proc", Long.toString(process.pid()), "status"));
    return new Memory(kib(status, "VmRSS:"), kib(status, "VmHWM:"));
  }

  /** Resident memory of the server, now and at its peak, in KiB. */
  record Memory(long rssKib, long peakKib) {}

  private static long kib(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
      }
    }
    return -1;
  }

  /** The Prometheus text of {@code /metrics}, empty if it did not answer. */
  String metrics() {
    return get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body).orElse("");
  }

  /**
   * Live heap after a full GC, in KiB, by {@code jcmd GC.run} and {@code GC.heap_info}; empty if
   * jcmd is missing or its output is not understood.
   */
  OptionalLong heapAfterFullGc() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return OptionalLong.empty();
    }
    String pid = Long.toString(process.pid());
    run(List.of(jcmd.toString(), pid, "GC.run"));
    Matcher used = HEAP_USED.matcher(run(List.of(jcmd.toString(), pid, "GC.heap_info")));
    return used.find() ? OptionalLong.of(Long.parseLong(used.group(1))) : OptionalLong.empty();
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private Optional<HttpResponse<String>> get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The last lines of the server's log, for error messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " (Linux /proc needed)", e);
    }
  }

  /** The kernel's clock ticks per second for /proc times; 100 where getconf is missing. */
  private static long clockTicks() {
    String out = run(List.of("getconf", "CLK_TCK")).trim();
    try {
      return Long.parseLong(out);
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /** SIGTERM, up to ten seconds to stop cleanly, then SIGKILL. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook kills it.
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
