package io.azmesh.benchmarks.fleet;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's own change-to-ACK histogram, read from its Prometheus text ({@code
 * azmesh_xds_change_to_ack_seconds}, docs/api.md). Quantiles come from the buckets of the
 * difference between two scrapes, so they cover exactly the changes in between; each is the upper
 * bound of the bucket it falls in, which is how Prometheus' {@code histogram_quantile} would place
 * it at most.
 */
final class ChangeToAckHistogram {
  static final String METRIC = "azmesh_xds_change_to_ack_seconds";

  private ChangeToAckHistogram() {}

  /** Samples, p50 and p99 (bucket upper bounds) and mean, in milliseconds. */
  record ServerLatency(long count, double p50Ms, double p99Ms, double meanMs) {}

  /** The latency of the ACKs of this type between two scrapes; empty if none or not exposed. */
  static Optional<ServerLatency> between(String before, String after, String type) {
    Map<Double, Double> first = buckets(before, type);
    Map<Double, Double> last = buckets(after, type);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    TreeMap<Double, Double> delta = new TreeMap<>();
    last.forEach((le, count) -> delta.put(le, count - first.getOrDefault(le, 0.0)));
    double total = delta.lastEntry().getValue();
    if (total <= 0) {
      return Optional.empty();
    }
    double sum = value(after, METRIC + "_sum", type) - value(before, METRIC + "_sum", type);
    return Optional.of(
        new ServerLatency(
            Math.round(total),
            quantile(delta, total, 0.50),
            quantile(delta, total, 0.99),
            sum / total * 1000));
  }

  private static double quantile(TreeMap<Double, Double> cumulative, double total, double q) {
    double rank = q * total;
    double previousFinite = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        return (bucket.getKey().isInfinite() ? previousFinite : bucket.getKey()) * 1000;
      }
      if (!bucket.getKey().isInfinite()) {
        previousFinite = bucket.getKey();
      }
    }
    return previousFinite * 1000;
  }

  /** Cumulative counts by upper bound (seconds) of the type's buckets. */
  private static Map<Double, Double> buckets(String text, String type) {
    Map<Double, Double> buckets = new TreeMap<>();
    String prefix = METRIC + "_bucket{";
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix) && line.contains("type=\"" + type + "\"")) {
        int le = line.indexOf("le=\"");
        if (le < 0) {
          continue;
        }
        String bound = line.substring(le + 4, line.indexOf('"', le + 4));
        double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
        buckets.put(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return buckets;
  }

  private static double value(String text, String name, String type) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains("type=\"" + type + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
