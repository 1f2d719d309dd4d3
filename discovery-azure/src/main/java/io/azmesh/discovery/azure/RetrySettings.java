package io.azmesh.discovery.azure;

import java.time.Duration;
import java.util.Objects;

/**
 * The SDK's retry of throttled (429) and failed (408, 5xx) requests: exponential backoff with
 * jitter from {@code baseDelay} up to {@code maxDelay}, except that a {@code Retry-After} header
 * sets the delay (and is not capped by {@code maxDelay}: the refresh timeout bounds it).
 */
public record RetrySettings(int maxRetries, Duration baseDelay, Duration maxDelay) {

  public RetrySettings {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries (" + maxRetries + ") must not be negative");
    }
    if (baseDelay.isNegative() || baseDelay.isZero()) {
      throw new IllegalArgumentException("baseDelay (" + baseDelay + ") must be positive");
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay (" + maxDelay + ") must not be less than baseDelay (" + baseDelay + ")");
    }
  }

  /** Three retries from 800 ms up to 30 s, close to the SDK's own defaults. */
  public static RetrySettings defaults() {
    return new RetrySettings(3, Duration.ofMillis(800), Duration.ofSeconds(30));
  }
}
