package io.azmesh.status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition, keyed by series ({@code name{labels}} exactly as
 * written), parsed line by line; a line that is neither a comment nor a sample fails the parse.
 */
record PrometheusText(Map<String, Double> samples, Map<String, String> types) {

  static PrometheusText parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ")) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring("# TYPE ".length()).split(" ");
        types.put(parts[0], parts[1]);
        continue;
      }
      int split = line.lastIndexOf(' ');
      if (split < 1) {
        throw new IllegalArgumentException("not a sample line: '" + line + "'");
      }
      String series = line.substring(0, split);
      if (samples.put(series, Double.valueOf(line.substring(split + 1))) != null) {
        throw new IllegalArgumentException("series '" + series + "' appears twice");
      }
    }
    return new PrometheusText(Map.copyOf(samples), Map.copyOf(types));
  }

  double value(String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new IllegalArgumentException(
          "no series '" + series + "'; there are " + samples.keySet());
    }
    return value;
  }
}
