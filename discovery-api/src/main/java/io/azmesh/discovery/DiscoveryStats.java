package io.azmesh.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * What one discovery cost.
 *
 * @param provider the provider's name, e.g. {@code azure}
 * @param apiCalls remote calls made (HTTP requests for Azure; 0 for the file provider)
 * @param elapsed wall time of the discovery
 */
public record DiscoveryStats(String provider, int apiCalls, Duration elapsed) {
  public DiscoveryStats {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(elapsed, "elapsed");
    if (apiCalls < 0) {
      throw new IllegalArgumentException("apiCalls (" + apiCalls + ") must not be negative");
    }
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed (" + elapsed + ") must not be negative");
    }
  }
}
