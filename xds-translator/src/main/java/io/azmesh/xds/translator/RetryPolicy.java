package io.azmesh.xds.translator;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Retries of a route to a service.
 *
 * @param attempts retries after the first try, 0..10; 0 turns retries off
 * @param on Envoy retry conditions, e.g. {@code connect-failure}, {@code 5xx}
 * @param perTryTimeout timeout of each try; zero means the route timeout only
 */
public record RetryPolicy(Integer attempts, List<String> on, Duration perTryTimeout) {

  private static final Set<String> CONDITIONS =
      Set.of(
          "5xx",
          "gateway-error",
          "reset",
          "reset-before-request",
          "connect-failure",
          "envoy-ratelimited",
          "retriable-4xx",
          "refused-stream",
          "retriable-status-codes",
          "retriable-headers",
          "http3-post-connect-failure",
          "cancelled",
          "deadline-exceeded",
          "internal",
          "resource-exhausted",
          "unavailable");

  private static final List<String> SAFE_CONDITIONS =
      List.of("connect-failure", "refused-stream", "reset");

  /** Retries twice when the connection failed, the stream was refused or reset. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(2, SAFE_CONDITIONS, Duration.ZERO);

  /** No retries. */
  public static final RetryPolicy NONE = new RetryPolicy(0, List.of(), Duration.ZERO);

  public RetryPolicy {
    attempts = attempts == null ? 2 : attempts;
    if (attempts < 0 || attempts > 10) {
      throw new IllegalArgumentException("attempts is " + attempts + ", must be in 0..10");
    }
    if (on == null) {
      on = attempts > 0 ? SAFE_CONDITIONS : List.of();
    }
    on = List.copyOf(on);
    for (String condition : on) {
      if (!CONDITIONS.contains(condition)) {
        throw new IllegalArgumentException(
            "on contains '"
                + condition
                + "', not an Envoy retry condition; known: "
                + String.join(", ", CONDITIONS.stream().sorted().toList()));
      }
    }
    if (attempts > 0 && on.isEmpty()) {
      throw new IllegalArgumentException("on must name at least one condition when attempts > 0");
    }
    perTryTimeout = perTryTimeout == null ? Duration.ZERO : perTryTimeout;
    Durations.requireNotNegative(perTryTimeout, "per_try_timeout");
  }

  /** Whether the route retries at all. */
  public boolean enabled() {
    return attempts > 0;
  }
}
