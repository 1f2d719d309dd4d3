package io.azmesh.xds.server;

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
 * @param massRemovalConfirmations consecutive refreshes that must propose a held removal before it
 *     is applied
 */
public record ControlLoopConfig(
    Duration refreshInterval,
    double refreshJitter,
    Duration changeCoalescing,
    Duration drainPeriod,
    double massRemovalFraction,
    int massRemovalConfirmations) {

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
  }

  /** The defaults: 30 s refresh with 10 % jitter, 30 s drain, hold removals of more than half. */
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
    private Duration changeCoalescing = Duration.ofMillis(50);
    private Duration drainPeriod = Duration.ofSeconds(30);
    private double massRemovalFraction = 0.5;
    private int massRemovalConfirmations = 3;

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

    public ControlLoopConfig build() {
      return new ControlLoopConfig(
          refreshInterval,
          refreshJitter,
          changeCoalescing,
          drainPeriod,
          massRemovalFraction,
          massRemovalConfirmations);
    }
  }
}
