package io.azmesh.benchmarks.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One mode of the load generator against a fresh server: writes the inventory, starts {@code
 * meshctl serve} as a child process, opens the streams, makes the changes one at a time and reads
 * what each cost. Every wait is bounded; the server is stopped when the run ends, however it ends.
 */
final class FleetRun {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
  // Idle CPU: after the changes have settled, over one refresh interval of meshctl serve (30 s),
  // so the timed refresh and the state writer are counted once, and a 2 s window that happens to
  // hold one does not decide the figure.
  private static final Duration IDLE_SETTLE = Duration.ofSeconds(5);
  private static final Duration IDLE_SAMPLE = Duration.ofSeconds(30);

  private final FleetOptions options;
  private final List<String> serverCommand;
  private final PrintStream progress;

  /**
   * @param serverCommand how to run meshctl, up to (not including) {@code serve}
   */
  FleetRun(FleetOptions options, List<String> serverCommand, PrintStream progress) {
    this.options = options;
    this.serverCommand = List.copyOf(serverCommand);
    this.progress = progress;
  }

  ModeResult run(XdsMode mode) throws InterruptedException {
    long clientCpuStart = clientCpuNanos();
    Path dir = options.workDir().resolve(mode.label());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path inventory = dir.resolve("inventory." + options.inventoryFormat());
    SyntheticFleet world =
        new SyntheticFleet(
            inventory,
            options.instances(),
            options.services(),
            options.inventoryShape(),
            options.seed());
    world.write();
    String loadBefore = loadAverage();
    say(
        "%s: %,d instances in %,d services (%,d bytes of inventory), %,d streams; load %s",
        mode.label(),
        world.size(),
        options.services(),
        world.fileSize(),
        options.streams(),
        loadBefore);

    try (ServeProcess server =
            ServeProcess.start(serverCommand, inventory, dir.resolve("serve.log"));
        StreamFleet fleet = new StreamFleet(mode, server.xdsPort(), options.eventLoopThreads())) {
      server.awaitReady(READY_TIMEOUT);
      say(
          "%s: server pid %d ready, xDS on 127.0.0.1:%d",
          mode.label(), server.pid(), server.xdsPort());

      Duration syncCpuStart = server.cpu();
      StreamFleet.Sync sync =
          fleet.openInBatches(options.streams(), options.batch(), options.syncTimeout());
      say(
          "%s: initial sync %,d ms, server CPU %,d ms (%d unsynced, closed: %s)",
          mode.label(),
          sync.elapsed().toMillis(),
          server.cpu().minus(syncCpuStart).toMillis(),
          sync.unsynced(),
          sync.closedWith());

      ServeProcess.Memory afterSync = server.memory();

      if (options.stuckStreams() > 0) {
        fleet.openStuck(options.stuckStreams());
        say("%s: %d stuck streams subscribed", mode.label(), options.stuckStreams());
      }

      String metricsBefore = options.warmupChanges() == 0 ? server.metrics() : "";
      List<ModeResult.ChangeResult> changes = new ArrayList<>();
      List<Double> allLatencies = new ArrayList<>();
      int missed = 0;
      EndpointChange.Kind[] kinds = EndpointChange.Kind.values();
      int total = options.warmupChanges() + options.changes();
      for (int i = 0; i < total; i++) {
        boolean warmup = i < options.warmupChanges();
        if (i == options.warmupChanges() && i > 0) {
          metricsBefore = server.metrics();
        }
        SyntheticFleet.Planned planned = world.plan(kinds[i % kinds.length]);
        String assignment =
            fleet
                .assignmentServing(planned.knownAddress())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no assignment serves "
                                + planned.knownAddress()
                                + " of "
                                + planned.service()
                                + "; the observing stream is behind"));
        EndpointChange change = world.apply(planned);
        ChangeTarget target = new ChangeTarget(i, assignment, change);
        fleet.target(target);
        long bytesBefore = fleet.bytes();
        Duration cpuBefore = server.cpu();
        long written = world.write();
        int streams = fleet.reading().size();
        StreamFleet.await(() -> target.reached() >= streams, options.changeTimeout());
        Thread.sleep(options.settle().toMillis());
        double cpuMs = server.cpu().minus(cpuBefore).toNanos() / 1e6;
        // Per stream still open: a closed stream receives nothing and would dilute the mean.
        long open = fleet.reading().stream().filter(s -> s.closed().isEmpty()).count();
        double bytesPerStream = (fleet.bytes() - bytesBefore) / (double) Math.max(1, open);

        List<Double> latencies = new ArrayList<>();
        for (AdsStream stream : fleet.reading()) {
          Optional<Long> at = stream.reachedAtNanos(i);
          at.ifPresent(t -> latencies.add((t - written) / 1e6));
        }
        int changeMissed = streams - latencies.size();
        if (warmup) {
          say(
              "%s: warm-up change %d/%d, p50 %.0f ms, %d missed",
              mode.label(),
              i + 1,
              options.warmupChanges(),
              Percentiles.of(Percentiles.sorted(toArray(latencies)), 0.5),
              changeMissed);
          continue;
        }
        missed += changeMissed;
        allLatencies.addAll(latencies);
        double[] sorted = Percentiles.sorted(toArray(latencies));
        ModeResult.ChangeResult result =
            new ModeResult.ChangeResult(
                change.toString(),
                assignment,
                Percentiles.of(sorted, 0.5),
                Percentiles.of(sorted, 0.99),
                changeMissed,
                bytesPerStream,
                cpuMs);
        changes.add(result);
        say(
            "%s: change %d/%d %s",
            mode.label(), i + 1 - options.warmupChanges(), options.changes(), result);
      }
      fleet.target(null);
      String metricsAfter = server.metrics();
      // Idle once warm: right after a cold sync, the JIT compiler still finishes what the sync
      // made hot (JFR: most of that window's CPU was a C2 compiler thread), which says nothing of
      // what a quiet, running server costs.
      Thread.sleep(IDLE_SETTLE.toMillis());
      Duration idleStart = server.cpu();
      Thread.sleep(IDLE_SAMPLE.toMillis());
      double idleCpuPerSecond =
          (server.cpu().minus(idleStart)).toNanos() / 1e6 / (IDLE_SAMPLE.toMillis() / 1000.0);
      ServeProcess.Memory end = server.memory();
      java.util.Map<String, Long> closedBeforeEnd = StreamFleet.closedWith(fleet.reading());
      OptionalLong heap = server.heapAfterFullGc();

      Optional<StreamFleet.Sync> storm = Optional.empty();
      if (options.reconnectStorm()) {
        StreamFleet.Sync result = fleet.reconnectAll(options.syncTimeout());
        storm = Optional.of(result);
        say(
            "%s: reconnect storm of %,d streams: %,d ms (%d unsynced, closed: %s)",
            mode.label(),
            options.streams(),
            result.elapsed().toMillis(),
            result.unsynced(),
            result.closedWith());
      }

      double[] sorted = Percentiles.sorted(toArray(allLatencies));
      double[] cpu =
          Percentiles.sorted(
              changes.stream().mapToDouble(ModeResult.ChangeResult::serverCpuMs).toArray());
      return new ModeResult(
          mode,
          options.instances(),
          options.services(),
          options.streams(),
          options.stuckStreams(),
          world.fileSize(),
          new ModeResult.Latency(
              sorted.length,
              missed,
              Percentiles.of(sorted, 0.5),
              Percentiles.of(sorted, 0.99),
              sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]),
          ChangeToAckHistogram.between(metricsBefore, metricsAfter, "endpoints"),
          changes.stream().mapToDouble(ModeResult.ChangeResult::bytesPerStream).average().orElse(0),
          new ModeResult.Spread(
              changes.stream()
                  .mapToDouble(ModeResult.ChangeResult::serverCpuMs)
                  .average()
                  .orElse(0),
              Percentiles.of(cpu, 0.5),
              cpu.length == 0 ? Double.NaN : cpu[cpu.length - 1]),
          idleCpuPerSecond,
          sync,
          options.batch(),
          closedBeforeEnd,
          storm,
          afterSync.rssKib() / 1024.0,
          end.rssKib() / 1024.0,
          end.peakKib() / 1024.0,
          heap.isPresent() ? Optional.of(heap.getAsLong() / 1024.0) : Optional.empty(),
          (clientCpuNanos() - clientCpuStart) / 1_000_000,
          loadBefore,
          loadAverage(),
          changes);
    }
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private void say(String format, Object... args) {
    progress.println(String.format(Locale.ROOT, format, args));
    progress.flush();
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static long clientCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
