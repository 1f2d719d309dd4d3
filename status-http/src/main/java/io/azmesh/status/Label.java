package io.azmesh.status;

import java.util.Locale;

/**
 * The lower-case form in which enum values appear in JSON and metric tags ({@code SERVING} is
 * {@code serving}), so the API and {@code /metrics} always spell a state the same way.
 */
final class Label {

  private Label() {}

  static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
