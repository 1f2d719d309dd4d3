package io.azmesh.xds.translator;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the mesh config ({@code 250ms}, {@code 5s}, {@code 1m}, {@code 1h}). */
final class Durations {
  private static final Pattern TEXT = Pattern.compile("^(\\d{1,9})(ms|s|m|h)$");

  private Durations() {}

  /** Parses {@code 250ms}, {@code 5s}, {@code 1m} or {@code 1h}. */
  static Duration parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 250ms, 5s, 1m or 1h");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** The shortest exact text for a duration, for documentation and error messages. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  static void requireNotNegative(Duration duration, String field) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          field + " is " + format(duration) + ", must not be negative");
    }
  }

  static void requirePositive(Duration duration, String field) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(field + " is " + format(duration) + ", must be positive");
    }
  }

  /** The protobuf form Envoy expects. */
  static com.google.protobuf.Duration toProto(Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }
}
