package io.azmesh.discovery;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one discovery cost.
 *
 * @param provider the provider's name, e.g. {@code azure}
 * @param apiCalls remote calls made (HTTP requests for Azure; 0 for the file provider)
 * @param elapsed wall time of the discovery
 * @param rateLimitRemaining the lowest number of calls the remote API said are left before it
 *     throttles (Azure's {@code x-ms-ratelimit-remaining-*} headers); empty when it said nothing
 * @param rateLimitBudgets the lowest count each announced budget reported, by its policy name (for
 *     Azure e.g. {@code subscription-reads}, {@code Microsoft.Compute/HighCostGet3Min}, {@code
 *     resource-graph-user-quota}): the budgets refill at different rates, so only each one alone
 *     says how close the provider is to being throttled; sorted by name, empty when none was
 *     announced
 */
public record DiscoveryStats(
    String provider,
    int apiCalls,
    Duration elapsed,
    OptionalLong rateLimitRemaining,
    Map<String, Long> rateLimitBudgets) {
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
    rateLimitBudgets.forEach(
        (policy, left) -> {
          if (policy.isBlank() || left < 0) {
            throw new IllegalArgumentException(
                "rate-limit budget '" + policy + "' = " + left + " needs a name and a count >= 0");
          }
        });
    rateLimitBudgets = Collections.unmodifiableMap(new TreeMap<>(rateLimitBudgets));
  }

  /** Stats whose remote API announced one budget at most, or none by name. */
  public DiscoveryStats(
      String provider, int apiCalls, Duration elapsed, OptionalLong rateLimitRemaining) {
    this(provider, apiCalls, elapsed, rateLimitRemaining, Map.of());
  }

  /** Stats of a provider whose API reports no rate limit. */
  public DiscoveryStats(String provider, int apiCalls, Duration elapsed) {
    this(provider, apiCalls, elapsed, OptionalLong.empty());
  }
}
