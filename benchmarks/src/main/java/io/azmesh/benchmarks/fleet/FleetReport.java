package io.azmesh.benchmarks.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The results of every mode as a Markdown table (one column per mode) and as JSON. */
final class FleetReport {
  private FleetReport() {}

  static String table(List<ModeResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(row(results, "", r -> r.mode().label()));
    rows.add(
        row(
            results,
            "change latency from write p50 / p99 / max (samples, missed)",
            r ->
                String.format(
                    Locale.ROOT,
                    "%,.0f / %,.0f / %,.0f ms (%,d, %d missed)",
                    r.latency().p50(),
                    r.latency().p99(),
                    r.latency().max(),
                    r.latency().samples(),
                    r.latency().missed())));
    rows.add(
        row(
            results,
            "server change-to-ACK p50 / p99 (`/metrics`, bucket bounds)",
            r ->
                r.serverChangeToAck()
                    .map(
                        s ->
                            String.format(
                                Locale.ROOT,
                                "≤ %,.0f / ≤ %,.0f ms (%,d ACKs)",
                                s.p50Ms(),
                                s.p99Ms(),
                                s.count()))
                    .orElse("n/a")));
    rows.add(
        row(
            results,
            "bytes received per stream per change",
            r -> bytes(r.bytesPerStreamPerChange())));
    rows.add(
        row(
            results,
            "server CPU per change mean / p50 / max",
            r ->
                String.format(
                    Locale.ROOT,
                    "%,.0f / %,.0f / %,.0f ms",
                    r.serverCpuPerChangeMs().mean(),
                    r.serverCpuPerChangeMs().p50(),
                    r.serverCpuPerChangeMs().max())));
    rows.add(
        row(
            results,
            "server CPU when idle",
            r -> String.format(Locale.ROOT, "%,.0f ms/s", r.idleCpuMsPerSecond())));
    rows.add(
        row(
            results,
            "initial sync, streams opened in batches",
            r ->
                String.format(
                    Locale.ROOT,
                    "%,.1f s (batches of %d%s)",
                    r.initialSync().elapsed().toMillis() / 1000.0,
                    r.batch(),
                    problems(r.initialSync()))));
    if (results.stream().anyMatch(r -> !r.closedBeforeEnd().isEmpty())) {
      rows.add(
          row(
              results,
              "streams closed before the end",
              r -> r.closedBeforeEnd().isEmpty() ? "none" : r.closedBeforeEnd().toString()));
    }
    if (results.stream().anyMatch(r -> r.storm().isPresent())) {
      rows.add(
          row(
              results,
              "reconnect storm, all streams at once",
              r ->
                  r.storm()
                      .map(
                          s ->
                              String.format(
                                  Locale.ROOT,
                                  "%,.1f s%s",
                                  s.elapsed().toMillis() / 1000.0,
                                  problems(s)))
                      .orElse("not run")));
    }
    rows.add(
        row(
            results,
            "server RSS after sync / at end / peak",
            r ->
                String.format(
                    Locale.ROOT,
                    "%,.0f / %,.0f / %,.0f MB",
                    r.rssAfterSyncMib(),
                    r.rssEndMib(),
                    r.rssPeakMib())));
    rows.add(
        row(
            results,
            "server heap after full GC",
            r ->
                r.heapAfterFullGcMib()
                    .map(h -> String.format(Locale.ROOT, "%,.0f MB", h))
                    .orElse("n/a")));
    if (results.stream().anyMatch(r -> r.stuckStreams() > 0)) {
      rows.add(row(results, "stuck streams (never read)", r -> Integer.toString(r.stuckStreams())));
    }
    rows.add(
        row(
            results,
            "load generator CPU (whole run)",
            r -> String.format(Locale.ROOT, "%,.1f s", r.clientCpuMs() / 1000.0)));
    rows.add(
        row(
            results,
            "load average before / after",
            r -> r.loadAverageBefore() + " / " + r.loadAverageAfter()));

    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        out.append("|---");
        out.append("|---:".repeat(results.size()));
        out.append("|\n");
      }
    }
    return out.toString();
  }

  private static String problems(StreamFleet.Sync sync) {
    if (sync.unsynced() == 0 && sync.failed() == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "; %d unsynced, %d closed %s",
        sync.unsynced(),
        sync.failed(),
        sync.closedWith());
  }

  private static String bytes(double bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%,.1f MB", bytes / 1024 / 1024);
    }
    if (bytes >= 1024) {
      return String.format(Locale.ROOT, "%,.1f KB", bytes / 1024);
    }
    return String.format(Locale.ROOT, "%,.0f B", bytes);
  }

  private static String[] row(
      List<ModeResult> results, String label, Function<ModeResult, String> cell) {
    String[] row = new String[results.size() + 1];
    row[0] = label;
    for (int i = 0; i < results.size(); i++) {
      row[i + 1] = cell.apply(results.get(i));
    }
    return row;
  }

  static void writeJson(Path path, FleetOptions options, List<ModeResult> results) {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    java.util.Map<String, Object> document = new java.util.LinkedHashMap<>();
    document.put("options", options.toString());
    document.put("results", results);
    try {
      mapper.writeValue(path.toFile(), document);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
