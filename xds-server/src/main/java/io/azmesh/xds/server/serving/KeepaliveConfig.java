package io.azmesh.xds.server.serving;

import java.time.Duration;
import java.util.Objects;

/**
 * HTTP/2 keepalive for long-lived xDS streams: the server pings idle connections so that dead
 * clients (a VM deallocated without closing its socket) are noticed, and lets clients ping it so
 * that NAT and load balancers in between keep the connection open.
 *
 * @param time ping a connection after this long without activity
 * @param timeout close the connection if a ping is not answered within this
 * @param permitClientTime the most often a client may ping; more often is answered with GOAWAY
 */
public record KeepaliveConfig(Duration time, Duration timeout, Duration permitClientTime) {
  public KeepaliveConfig {
    requirePositive(time, "time");
    requirePositive(timeout, "timeout");
    requirePositive(permitClientTime, "permitClientTime");
  }

  /**
   * Ping after 30 s idle, give up after 10 s, let clients ping every 5 s: below the 4-minute idle
   * timeout of Azure load balancers and NAT gateways, and half the 10 s the azmesh bootstrap makes
   * Envoy ping at, so a ping that jitter or a busy event loop moves earlier never earns a GOAWAY
   * {@code too_many_pings}.
   */
  public static KeepaliveConfig defaults() {
    return new KeepaliveConfig(
        Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("keepalive " + name + " (" + value + ") must be positive");
    }
  }
}
