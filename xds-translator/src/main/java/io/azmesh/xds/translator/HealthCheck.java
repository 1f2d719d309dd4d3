package io.azmesh.xds.translator;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Active health checking of a service's endpoints by Envoy.
 *
 * @param kind {@code http} (GET a path, expect 2xx), {@code grpc} (grpc.health.v1 Check), {@code
 *     tcp} (connect) or {@code none}
 * @param path the HTTP path, {@link #DEFAULT_PATH} when absent; never taken from instance tags, so
 *     instance churn cannot change a cluster
 * @param interval time between checks
 * @param timeout time to wait for one check
 * @param healthyThreshold successes before an endpoint is healthy again
 * @param unhealthyThreshold failures before an endpoint is unhealthy
 */
public record HealthCheck(
    Kind kind,
    Optional<String> path,
    Duration interval,
    Duration timeout,
    Integer healthyThreshold,
    Integer unhealthyThreshold) {

  /** The path of an HTTP check that names none. */
  public static final String DEFAULT_PATH = "/";

  /** No active health checking. */
  public static final HealthCheck NONE =
      new HealthCheck(Kind.NONE, Optional.empty(), null, null, null, null);

  public HealthCheck {
    kind = kind == null ? Kind.NONE : kind;
    path = path == null ? Optional.empty() : path;
    path.ifPresent(HealthCheck::requirePath);
    interval = interval == null ? Duration.ofSeconds(5) : interval;
    timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
    Durations.requirePositive(interval, "interval");
    Durations.requirePositive(timeout, "timeout");
    healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
    unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
    requireThreshold(healthyThreshold, "healthy_threshold");
    requireThreshold(unhealthyThreshold, "unhealthy_threshold");
    if (kind != Kind.HTTP && path.isPresent()) {
      throw new IllegalArgumentException(
          "path is '"
              + path.get()
              + "', but a "
              + kind.name().toLowerCase(Locale.ROOT)
              + " check has none");
    }
  }

  /** An HTTP check of {@code path} with default timing. */
  public static HealthCheck http(String path) {
    return new HealthCheck(Kind.HTTP, Optional.of(path), null, null, null, null);
  }

  /** The path an HTTP check requests. */
  public String httpPath() {
    return path.orElse(DEFAULT_PATH);
  }

  private static void requirePath(String value) {
    HttpPaths.problem(value)
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException("path is '" + value + "', " + reason);
            });
  }

  private static void requireThreshold(int value, String field) {
    if (value < 1 || value > 100) {
      throw new IllegalArgumentException(field + " is " + value + ", must be in 1..100");
    }
  }

  /** What the check does. */
  public enum Kind {
    NONE,
    HTTP,
    /** The gRPC health checking protocol; needs protocol grpc or http2. */
    GRPC,
    TCP
  }
}
