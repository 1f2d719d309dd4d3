package io.azmesh.discovery.file;

import java.time.Duration;

/**
 * Monotonic time and waiting, as a parameter: the file provider waits for an inventory to settle,
 * and tests drive that wait without sleeping.
 */
public interface Ticker {
  /** The system's monotonic clock and {@link Thread#sleep}. */
  Ticker SYSTEM =
      new Ticker() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
          Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
      };

  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long nanoTime();

  /** Waits for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
