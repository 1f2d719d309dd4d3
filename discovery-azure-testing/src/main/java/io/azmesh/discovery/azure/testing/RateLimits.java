package io.azmesh.discovery.azure.testing;

import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read budgets ARM, Compute and Resource Graph announce in their response headers; each request
 * uses one read of each budget it counts against.
 */
final class RateLimits {
  private final AtomicLong subscriptionReads = new AtomicLong(11999);
  private final AtomicLong computeReads3Min = new AtomicLong(239);
  private final AtomicLong computeReads30Min = new AtomicLong(1199);

  void remaining(long subscriptionReads, long computeHighCostGet3Min) {
    this.subscriptionReads.set(subscriptionReads);
    this.computeReads3Min.set(computeHighCostGet3Min);
  }

  void put(HttpExchange exchange, RecordedRequest request) {
    if (request.isResourceGraph()) {
      exchange.getResponseHeaders().set("x-ms-user-quota-remaining", "14");
      exchange.getResponseHeaders().set("x-ms-user-quota-resets-after", "00:00:05");
      return;
    }
    exchange
        .getResponseHeaders()
        .set(
            "x-ms-ratelimit-remaining-subscription-reads",
            Long.toString(decrement(subscriptionReads)));
    if (request.path().toLowerCase(Locale.ROOT).contains("/providers/microsoft.compute/")) {
      exchange
          .getResponseHeaders()
          .set(
              "x-ms-ratelimit-remaining-resource",
              "Microsoft.Compute/HighCostGet3Min;"
                  + decrement(computeReads3Min)
                  + ",Microsoft.Compute/HighCostGet30Min;"
                  + decrement(computeReads30Min));
    }
  }

  private static long decrement(AtomicLong remaining) {
    return remaining.updateAndGet(n -> Math.max(0, n - 1));
  }
}
