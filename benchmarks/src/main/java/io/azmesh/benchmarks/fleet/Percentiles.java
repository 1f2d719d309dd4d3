package io.azmesh.benchmarks.fleet;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {
  private Percentiles() {}

  /** The value at or below which {@code q} of the sorted sample lies; NaN for no sample. */
  static double of(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}
