package io.azmesh.discovery.azure;

import java.time.Duration;

/**
 * ARM asked for a wait ({@code Retry-After}) that would not end before the refresh's deadline: the
 * refresh stops at once instead of sleeping into its timeout.
 */
final class ThrottledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ThrottledException(Throttling throttling, Duration left) {
    super(
        "ARM throttled "
            + throttling.request()
            + " (HTTP 429"
            + throttling.code()
            + ") and asked to wait "
            + throttling.describeWait()
            + " ("
            + throttling.waitHeader()
            + "), longer than the "
            + Throttling.describe(left)
            + " left of this refresh; no call before "
            + throttling.until()
            + "; "
            + throttling.ids().describe());
  }
}
