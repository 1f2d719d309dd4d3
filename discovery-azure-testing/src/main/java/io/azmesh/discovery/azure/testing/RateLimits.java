package io.azmesh.discovery.azure.testing;

import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The read budgets ARM, Compute and Resource Graph announce in their response headers. Each request
 * uses one read of each budget it counts against; a request that finds a budget spent is answered
 * 429, as Azure answers it: ARM's and Compute's with {@code Retry-After}, Resource Graph's with its
 * quota headers. Compute's budgets and Resource Graph's quota start again when their window ends;
 * the subscription's reads are what the test set (ARM's bucket refills faster than a test runs).
 */
final class RateLimits {
  private static final Duration COMPUTE_3_MIN = Duration.ofMinutes(3);
  private static final Duration COMPUTE_30_MIN = Duration.ofMinutes(30);

  private final Budget subscriptionReads = new Budget(11999, Duration.ZERO);
  private final Budget computeReads3Min = new Budget(239, COMPUTE_3_MIN);
  private final Budget computeReads30Min = new Budget(1199, COMPUTE_30_MIN);
  private final Budget graphQuota = new Budget(15, Duration.ofSeconds(5));

  void remaining(long subscriptionReads, long computeHighCostGet3Min) {
    this.subscriptionReads.set(subscriptionReads, Duration.ZERO);
    this.computeReads3Min.set(computeHighCostGet3Min, COMPUTE_3_MIN);
  }

  /** Resource Graph's per-user quota: {@code queries} per {@code window}, starting now. */
  void resourceGraphQuota(int queries, Duration window) {
    if (queries < 0 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "Resource Graph quota ("
              + queries
              + " per "
              + window
              + ") must be >= 0 per a positive"
              + " window");
    }
    graphQuota.set(queries, window);
  }

  /**
   * Puts the budget headers on the response and takes this request's read; the 429 to answer with
   * when a budget was already spent.
   */
  Optional<Fault> take(HttpExchange exchange, RecordedRequest request) {
    if (request.isResourceGraph()) {
      Budget.Use use = graphQuota.use();
      exchange.getResponseHeaders().set("x-ms-user-quota-remaining", Long.toString(use.left()));
      exchange
          .getResponseHeaders()
          .set("x-ms-user-quota-resets-after", hoursMinutesSeconds(use.resetsAfter()));
      return use.spent()
          ? Optional.of(
              new Fault(
                  429,
                  Map.of(),
                  Fault.armError(
                      "RateLimiting",
                      "Please provide below info when asking for support: the user quota of"
                          + " Resource Graph is spent."),
                  Fault.Delivery.RESPOND))
          : Optional.empty();
    }
    Budget.Use reads = subscriptionReads.use();
    exchange
        .getResponseHeaders()
        .set("x-ms-ratelimit-remaining-subscription-reads", Long.toString(reads.left()));
    if (reads.spent()) {
      return Optional.of(Fault.throttled(1));
    }
    if (request.path().toLowerCase(Locale.ROOT).contains("/providers/microsoft.compute/")) {
      Budget.Use short3 = computeReads3Min.use();
      Budget.Use long30 = computeReads30Min.use();
      exchange
          .getResponseHeaders()
          .set(
              "x-ms-ratelimit-remaining-resource",
              "Microsoft.Compute/HighCostGet3Min;"
                  + short3.left()
                  + ",Microsoft.Compute/HighCostGet30Min;"
                  + long30.left());
      if (short3.spent() || long30.spent()) {
        Duration wait = short3.spent() ? short3.resetsAfter() : long30.resetsAfter();
        return Optional.of(Fault.computeThrottled((int) Math.max(1, wait.toSeconds())));
      }
    }
    return Optional.empty();
  }

  /** Resource Graph's {@code hh:mm:ss}. */
  static String hoursMinutesSeconds(Duration duration) {
    long seconds = Math.max(0, (duration.toMillis() + 999) / 1000);
    return String.format(
        Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }

  /** A count of reads that, with a window, starts again at its initial value when it ends. */
  private static final class Budget {
    private long initial;
    private long left;
    private Duration window;
    private long windowStart = System.nanoTime();

    Budget(long initial, Duration window) {
      set(initial, window);
    }

    synchronized void set(long count, Duration window) {
      this.initial = count;
      this.left = count;
      this.window = window;
      this.windowStart = System.nanoTime();
    }

    synchronized Use use() {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - windowStart);
      if (!window.isZero() && elapsed.compareTo(window) >= 0) {
        left = initial;
        windowStart = System.nanoTime();
        elapsed = Duration.ZERO;
      }
      boolean spent = left <= 0;
      if (!spent) {
        left--;
      }
      return new Use(left, spent, window.isZero() ? Duration.ZERO : window.minus(elapsed));
    }

    record Use(long left, boolean spent, Duration resetsAfter) {}
  }
}
