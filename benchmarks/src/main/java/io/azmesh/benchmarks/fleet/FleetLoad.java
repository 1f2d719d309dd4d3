package io.azmesh.benchmarks.fleet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The out-of-process fleet load generator: a synthetic inventory, {@code meshctl serve --provider
 * file} in its own JVM, and many Envoy-like ADS streams, each on its own channel, that measure how
 * long a single-endpoint change written to the inventory takes to reach every one of them.
 *
 * <pre>
 * ./mvnw -B -pl cli,benchmarks -am package -DskipTests
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.azmesh.benchmarks.fleet.FleetLoad \
 *     --instances 1000 --services 100 --streams 100 --mode both --json fleet.json
 * </pre>
 *
 * <p>Exit codes: 0 every stream got every change, 1 some missed a change or failed to sync, 2 bad
 * options or a run that could not finish.
 */
public final class FleetLoad {
  private FleetLoad() {}

  public static void main(String[] args) throws InterruptedException {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.print(FleetOptions.USAGE);
      return;
    }
    FleetOptions options;
    try {
      options = FleetOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(FleetOptions.USAGE);
      System.exit(2);
      return;
    }
    PrintStream out = System.out;
    Thread watchdog = watchdog(options);
    List<ModeResult> results = new ArrayList<>();
    try {
      List<String> command =
          ServeProcess.jarCommand(
              options.meshctlJar(), options.heap(), options.serverJavaOptions());
      FleetRun run = new FleetRun(options, command, System.err);
      for (XdsMode mode : options.modes()) {
        results.add(run.run(mode));
      }
    } catch (RuntimeException e) {
      System.err.println("fleet load failed: " + e.getMessage());
      e.printStackTrace(System.err);
      System.exit(2);
    }
    watchdog.interrupt();
    out.println();
    out.printf(
        "Fleet load: %,d instances, %,d services, %,d streams (+%d stuck), %d changes (after %d"
            + " not measured), server -Xmx%s%n%n",
        options.instances(),
        options.services(),
        options.streams(),
        options.stuckStreams(),
        options.changes(),
        options.warmupChanges(),
        options.heap());
    out.print(FleetReport.table(results));
    options.json().ifPresent(path -> FleetReport.writeJson(path, options, results));
    boolean complete =
        results.stream()
            .allMatch(
                r ->
                    r.latency().missed() == 0
                        && r.initialSync().unsynced() == 0
                        && r.storm().map(s -> s.unsynced() == 0 && s.failed() == 0).orElse(true));
    // Non-daemon threads of gRPC's shared pools must not keep the JVM up.
    System.exit(complete ? 0 : 1);
  }

  /** Ends the run, server included (through the shutdown hooks), when it overruns its bound. */
  private static Thread watchdog(FleetOptions options) {
    Thread thread =
        new Thread(
            () -> {
              try {
                Thread.sleep(options.maxDuration().toMillis());
                System.err.println("fleet load: over " + options.maxDuration() + ", stopping");
                System.exit(2);
              } catch (InterruptedException e) {
                // Finished in time.
              }
            },
            "fleet-watchdog");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
