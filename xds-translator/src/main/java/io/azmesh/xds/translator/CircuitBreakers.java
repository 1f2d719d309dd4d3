package io.azmesh.xds.translator;

/**
 * Limits on what one Envoy sends to a service at once (default priority).
 *
 * @param maxConnections open connections to all endpoints
 * @param maxPendingRequests requests waiting for a connection
 * @param maxRequests requests in flight
 * @param maxRetries retries in flight
 */
public record CircuitBreakers(
    Integer maxConnections, Integer maxPendingRequests, Integer maxRequests, Integer maxRetries) {

  /** Envoy's own defaults: 1024 connections, pending and requests, 3 retries. */
  public static final CircuitBreakers DEFAULT = new CircuitBreakers(null, null, null, null);

  public CircuitBreakers {
    maxConnections = positive(maxConnections, 1024, "max_connections");
    maxPendingRequests = positive(maxPendingRequests, 1024, "max_pending_requests");
    maxRequests = positive(maxRequests, 1024, "max_requests");
    maxRetries = positive(maxRetries, 3, "max_retries");
  }

  private static int positive(Integer value, int fallback, String field) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw new IllegalArgumentException(field + " is " + value + ", must be at least 1");
    }
    return value;
  }
}
