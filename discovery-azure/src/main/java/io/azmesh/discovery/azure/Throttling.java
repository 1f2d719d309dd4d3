package io.azmesh.discovery.azure;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A 429 answer: which request, what ARM said (its error code), how long it asked to wait, in which
 * header ({@code Retry-After}, or Resource Graph's {@code x-ms-user-quota-resets-after}), and until
 * when, and the response's ids.
 */
record Throttling(
    String request,
    String code,
    Duration retryAfter,
    String waitHeader,
    Instant until,
    RequestIds ids) {
  static final String RETRY_AFTER = "Retry-After";
  static final String QUOTA_RESETS_AFTER = "x-ms-user-quota-resets-after";

  Throttling {
    Objects.requireNonNull(waitHeader, "waitHeader");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(ids, "ids");
  }

  /** E.g. {@code 1200s}. */
  String describeWait() {
    return describe(retryAfter);
  }

  /** A duration as the settings spell it: {@code 60s}, {@code 1500ms}; negative as zero. */
  static String describe(Duration duration) {
    Duration positive = duration.isNegative() ? Duration.ZERO : duration;
    return positive.toMillis() % 1000 == 0
        ? positive.toSeconds() + "s"
        : positive.toMillis() + "ms";
  }
}
