package io.azmesh.xds.server.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which discovery failures become events (and so log lines): the first, one that differs from the
 * last reported, and a repeat of the same one once a minute with a count, never one per attempt.
 * Not thread-safe; the control loop calls it under its lock.
 */
final class FailureReports {
  /** How often the same failure is reported again while it lasts. */
  static final Duration REPEAT = Duration.ofMinutes(1);

  private String lastReported;
  private Instant lastReportAt;
  private Instant since;
  private int inARow;
  private int unreported;

  /** Counts a failure; returns the event reason if this one is to be reported. */
  Optional<String> failed(String cause, String message, Instant now) {
    inARow++;
    if (since == null) {
      since = now;
    }
    String failure = cause + ": " + message;
    if (failure.equals(lastReported) && Duration.between(lastReportAt, now).compareTo(REPEAT) < 0) {
      unreported++;
      return Optional.empty();
    }
    String reason =
        inARow == 1
            ? failure + "; the last good snapshot stays"
            : failure
                + " ("
                + inARow
                + " failures in a row since "
                + since
                + (unreported > 0 ? ", " + unreported + " not reported" : "")
                + ")";
    lastReported = failure;
    lastReportAt = now;
    unreported = 0;
    return Optional.of(reason);
  }

  /** When the current run of failures began. */
  Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** Discovery succeeded: the next failure starts a new run. */
  void reset() {
    lastReported = null;
    lastReportAt = null;
    since = null;
    inARow = 0;
    unreported = 0;
  }
}
