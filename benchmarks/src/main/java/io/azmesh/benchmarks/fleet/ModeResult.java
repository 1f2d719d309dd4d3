package io.azmesh.benchmarks.fleet;

import java.util.List;
import java.util.Optional;

/**
 * What one mode's run measured. Latencies in milliseconds, memory in MiB, CPU in milliseconds of
 * the server process (user plus system, all threads).
 *
 * @param latency per stream and change, from the inventory rename to the stream holding the changed
 *     assignment
 * @param serverChangeToAck the server's own histogram over the same changes, if it exposes one
 * @param bytesPerStreamPerChange mean over changes of the response bytes a stream received
 * @param serverCpuPerChangeMs per change, from just before the write to the end of the settle time
 * @param idleCpuMsPerSecond the server's CPU with nothing changing, once warm: over 30 s (one
 *     refresh interval) starting 5 s after the last change
 * @param closedBeforeEnd reading streams closed by the server or transport before the changes
 *     ended, by status
 * @param storm the reconnect storm, if one ran
 * @param clientCpuMs the load generator's own CPU over the run, to judge its interference
 */
public record ModeResult(
    XdsMode mode,
    int instances,
    int services,
    int streams,
    int stuckStreams,
    long inventoryBytes,
    Latency latency,
    Optional<ChangeToAckHistogram.ServerLatency> serverChangeToAck,
    double bytesPerStreamPerChange,
    Spread serverCpuPerChangeMs,
    double idleCpuMsPerSecond,
    StreamFleet.Sync initialSync,
    int batch,
    java.util.Map<String, Long> closedBeforeEnd,
    Optional<StreamFleet.Sync> storm,
    double rssAfterSyncMib,
    double rssEndMib,
    double rssPeakMib,
    Optional<Double> heapAfterFullGcMib,
    long clientCpuMs,
    String loadAverageBefore,
    String loadAverageAfter,
    List<ChangeResult> changes) {

  /** Latency percentiles over every (stream, change) sample; missed samples are not in them. */
  public record Latency(int samples, int missed, double p50, double p99, double max) {}

  /** Mean, median and maximum of a per-change cost. */
  public record Spread(double mean, double p50, double max) {}

  /** One change: what it was and what it cost. */
  public record ChangeResult(
      String change,
      String assignment,
      double p50Ms,
      double p99Ms,
      int missed,
      double bytesPerStream,
      double serverCpuMs) {

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%s: p50 %.0f ms, p99 %.0f ms, %d missed, %,.0f B/stream, %.0f ms server CPU",
          change,
          p50Ms,
          p99Ms,
          missed,
          bytesPerStream,
          serverCpuMs);
    }
  }
}
