package io.azmesh.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline, instead of sleeping a guessed time. */
final class Await {
  /** Long enough for a loaded machine; only a hang ever reaches it. */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  private Await() {}

  /** Polls {@code condition} until it holds, or fails naming {@code what} after the deadline. */
  static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
