package io.azmesh.xds.translator;

import java.time.Duration;

/**
 * Passive ejection of endpoints that keep failing.
 *
 * @param consecutive5xx consecutive 5xx (or gRPC errors) before ejection; 0 turns detection off
 * @param interval time between ejection sweeps
 * @param baseEjectionTime how long a first ejection lasts; repeated ejections last longer
 * @param maxEjectionPercent at most this share of endpoints is ejected at once, 0..100
 */
public record OutlierDetection(
    @com.fasterxml.jackson.annotation.JsonProperty("consecutive_5xx") Integer consecutive5xx,
    Duration interval,
    Duration baseEjectionTime,
    Integer maxEjectionPercent) {

  /**
   * What {@code outlier_detection: {}} means: eject an endpoint after 5 consecutive errors for 30s,
   * at most half of them.
   */
  public static final OutlierDetection DEFAULT = new OutlierDetection(null, null, null, null);

  /** No outlier detection: what a service without {@code outlier_detection} gets. */
  public static final OutlierDetection OFF = new OutlierDetection(0, null, null, null);

  public OutlierDetection {
    consecutive5xx = consecutive5xx == null ? 5 : consecutive5xx;
    if (consecutive5xx < 0 || consecutive5xx > 1000) {
      throw new IllegalArgumentException(
          "consecutive_5xx is " + consecutive5xx + ", must be in 0..1000");
    }
    interval = interval == null ? Duration.ofSeconds(10) : interval;
    baseEjectionTime = baseEjectionTime == null ? Duration.ofSeconds(30) : baseEjectionTime;
    Durations.requirePositive(interval, "interval");
    Durations.requirePositive(baseEjectionTime, "base_ejection_time");
    maxEjectionPercent = maxEjectionPercent == null ? 50 : maxEjectionPercent;
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException(
          "max_ejection_percent is " + maxEjectionPercent + ", must be in 0..100");
    }
  }

  /** Whether endpoints are ever ejected. */
  public boolean enabled() {
    return consecutive5xx > 0;
  }
}
