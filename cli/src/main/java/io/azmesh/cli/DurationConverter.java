package io.azmesh.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations written {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or {@code PT30S}, and
 * a bare {@code 0}: zero needs no unit, and docs/cli.md writes {@code --inventory-settle 0}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("^(\\d+)(ms|s|m|h)$");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.strip());
    if (duration.isNegative()) {
      throw new TypeConversionException("'" + value + "' is negative");
    }
    return duration;
  }

  private static Duration parse(String value) {
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration such as 500ms, 30s, 2m, 1h or PT30S");
    }
  }
}
