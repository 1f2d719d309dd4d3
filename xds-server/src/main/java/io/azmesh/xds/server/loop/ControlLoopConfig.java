package io.azmesh.xds.server.loop;

import java.time.Duration;
import java.util.Objects;

/**
 * How the control loop refreshes, drains and guards.
 *
 * @param refreshInterval time between polls of the provider
 * @param refreshJitter share of the interval by which each poll is moved at random, 0..0.5, so that
 *     replicas do not poll in lockstep
 * @param changeCoalescing how long to wait after a change signal before refreshing, so that a burst
 *     of signals makes one refresh
 * @param drainPeriod how long a vanished or stopped instance is published as DRAINING before it is
 *     removed
 * @param massRemovalFraction a refresh that would take away more than this share of a service's
 *     serving endpoints at once is held; 1.0 never holds
 * @param massRemovalConfirmations consecutive discoveries that must propose a held removal before
 *     it is applied
 * @param massRemovalHold how long a held removal must have been proposed before it is applied, so
 *     that change signals arriving within seconds cannot confirm it; by default two refresh
 *     intervals
 * @param failureBackoff the delay after a first failed refresh; it doubles with each further
 *     failure (with jitter) up to the refresh interval, and resets on success
 * @param serviceRetention how long a service whose last instance left keeps its cluster, API
 *     listener, routes and an empty ClusterLoadAssignment, so subscribed clients stay subscribed
 *     and get its endpoints by EDS alone when instances return
 * @param stateMaxAge how old a saved state may be and still be served after a restart; an older one
 *     is not restored (decision 0011)
 * @param fullRecomputeInterval how often the loop plans again from the last discovery with a fresh
 *     translation that remembers nothing and compares the result with its incremental one (a
 *     difference is counted as {@code azmesh_incremental_drift_total}, logged, and the full result
 *     served); zero never checks. By default 10 minutes: one full translation per interval, off the
 *     change path
 */
public record ControlLoopConfig(
    Duration refreshInterval,
    double refreshJitter,
    Duration changeCoalescing,
    Duration drainPeriod,
    double massRemovalFraction,
    int massRemovalConfirmations,
    Duration massRemovalHold,
    Duration failureBackoff,
    Duration serviceRetention,
    Duration stateMaxAge,
    Duration fullRecomputeInterval) {

  public ControlLoopConfig {
    requirePositive(refreshInterval, "refreshInterval");
    if (!(refreshJitter >= 0 && refreshJitter <= 0.5)) {
      throw new IllegalArgumentException("refreshJitter (" + refreshJitter + ") must be in 0..0.5");
    }
    requireNotNegative(changeCoalescing, "changeCoalescing");
    requireNotNegative(drainPeriod, "drainPeriod");
    if (!(massRemovalFraction > 0 && massRemovalFraction <= 1)) {
      throw new IllegalArgumentException(
          "massRemovalFraction (" + massRemovalFraction + ") must be in (0, 1]");
    }
    if (massRemovalConfirmations < 1) {
      throw new IllegalArgumentException(
          "massRemovalConfirmations (" + massRemovalConfirmations + ") must be at least 1");
    }
    requireNotNegative(massRemovalHold, "massRemovalHold");
    requirePositive(failureBackoff, "failureBackoff");
    requireNotNegative(serviceRetention, "serviceRetention");
    requirePositive(stateMaxAge, "stateMaxAge");
    requireNotNegative(fullRecomputeInterval, "fullRecomputeInterval");
  }

  /** The delay before the next attempt after {@code failures} failed refreshes in a row, 1 up. */
  Duration backoff(int failures, double random) {
    int doublings = Math.min(Math.max(failures - 1, 0), 30);
    long nanos = failureBackoff.toNanos();
    long cap = refreshInterval.toNanos();
    long delay = nanos > cap >> doublings ? cap : Math.min(cap, nanos << doublings);
    // Equal jitter: replicas failing together spread out, and the delay never drops below half.
    return Duration.ofNanos(Math.round(delay * (0.5 + 0.5 * random)));
  }

  /**
   * The defaults: 30 s refresh with 10 % jitter, 30 s drain, hold removals of more than half for 3
   * discoveries and 60 s, back off from 1 s after a failure, keep an empty service for an hour,
   * check the incremental result against a full recompute every 10 minutes.
   */
  public static ControlLoopConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " (" + value + ") must be positive");
    }
  }

  private static void requireNotNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " (" + value + ") must not be negative");
    }
  }

  /** Builds a {@link ControlLoopConfig}, starting from the defaults. */
  public static final class Builder {
    private Duration refreshInterval = Duration.ofSeconds(30);
    private double refreshJitter = 0.1;
    private Duration changeCoalescing = Duration.ofMillis(10);
    private Duration drainPeriod = Duration.ofSeconds(30);
    private double massRemovalFraction = 0.5;
    private int massRemovalConfirmations = 3;
    private Duration massRemovalHold;
    private Duration failureBackoff = Duration.ofSeconds(1);
    private Duration serviceRetention = Duration.ofHours(1);
    private Duration stateMaxAge = Duration.ofHours(1);
    private Duration fullRecomputeInterval = Duration.ofMinutes(10);

    private Builder() {}

    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
      return this;
    }

    public Builder refreshJitter(double refreshJitter) {
      this.refreshJitter = refreshJitter;
      return this;
    }

    public Builder changeCoalescing(Duration changeCoalescing) {
      this.changeCoalescing = changeCoalescing;
      return this;
    }

    public Builder drainPeriod(Duration drainPeriod) {
      this.drainPeriod = drainPeriod;
      return this;
    }

    public Builder massRemovalFraction(double massRemovalFraction) {
      this.massRemovalFraction = massRemovalFraction;
      return this;
    }

    public Builder massRemovalConfirmations(int massRemovalConfirmations) {
      this.massRemovalConfirmations = massRemovalConfirmations;
      return this;
    }

    /** Unset: two refresh intervals. */
    public Builder massRemovalHold(Duration massRemovalHold) {
      this.massRemovalHold = massRemovalHold;
      return this;
    }

    public Builder failureBackoff(Duration failureBackoff) {
      this.failureBackoff = failureBackoff;
      return this;
    }

    public Builder serviceRetention(Duration serviceRetention) {
      this.serviceRetention = serviceRetention;
      return this;
    }

    public Builder stateMaxAge(Duration stateMaxAge) {
      this.stateMaxAge = stateMaxAge;
      return this;
    }

    /** Zero: never check. */
    public Builder fullRecomputeInterval(Duration fullRecomputeInterval) {
      this.fullRecomputeInterval = fullRecomputeInterval;
      return this;
    }

    public ControlLoopConfig build() {
      return new ControlLoopConfig(
          refreshInterval,
          refreshJitter,
          changeCoalescing,
          drainPeriod,
          massRemovalFraction,
          massRemovalConfirmations,
          massRemovalHold != null || refreshInterval == null
              ? massRemovalHold
              : refreshInterval.multipliedBy(2),
          failureBackoff,
          serviceRetention,
          stateMaxAge,
          fullRecomputeInterval);
    }
  }
}
