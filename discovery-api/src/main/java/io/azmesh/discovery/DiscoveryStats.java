package io.azmesh.discovery;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one discovery cost.
 *
 * @param provider the provider's name, e.g. {@code azure}
 * @param apiCalls remote calls made (HTTP requests for Azure; 0 for the file provider)
 * @param elapsed wall time of the discovery
 * @param rateLimitRemaining the lowest number of calls the remote API said are left before it
 *     throttles (Azure's {@code x-ms-ratelimit-remaining-*} headers); empty when it said nothing
 */
public record DiscoveryStats(
    String provider, int apiCalls, Duration elapsed, OptionalLong rateLimitRemaining) {
  public DiscoveryStats {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(rateLimitRemaining, "rateLimitRemaining");
    if (apiCalls < 0) {
      throw new IllegalArgumentException("apiCalls (" + apiCalls + ") must not be negative");
    }
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed (" + elapsed + ") must not be negative");
    }
    if (rateLimitRemaining.isPresent() && rateLimitRemaining.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "rateLimitRemaining (" + rateLimitRemaining.getAsLong() + ") must not be negative");
    }
  }

  /** Stats of a provider whose API reports no rate limit. */
  public DiscoveryStats(String provider, int apiCalls, Duration elapsed) {
    this(provider, apiCalls, elapsed, OptionalLong.empty());
  }
}
