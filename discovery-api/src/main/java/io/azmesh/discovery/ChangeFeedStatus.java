package io.azmesh.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a provider's change feed (for Azure: Event Grid events read from a Storage queue) is doing,
 * for the status API, {@code meshctl status}, metrics and the event history.
 *
 * @param source what is read, e.g. the queue's URL without its SAS token
 * @param state whether it is being read
 * @param cause why it is failing, empty while reading
 * @param since when the state began
 * @param eventsRead events read that named something in scope
 * @param eventsIgnored events read and dropped: out of scope, another resource type or event type,
 *     a duplicate, or older than the last refresh
 * @param messagesRejected messages that were not events (bad JSON, unknown schema), deleted
 * @param refreshesRequested change signals the feed gave, each after a coalesced burst of events
 * @param unannouncedChanges refreshes that found a change no event had announced
 * @param failedAttempts reads that failed since the feed last answered
 * @param oldestMessageAge age of the oldest message the reader holds, empty when it holds none
 */
public record ChangeFeedStatus(
    String source,
    State state,
    Optional<String> cause,
    Instant since,
    long eventsRead,
    long eventsIgnored,
    long messagesRejected,
    long refreshesRequested,
    long unannouncedChanges,
    long failedAttempts,
    Optional<Duration> oldestMessageAge) {

  public ChangeFeedStatus {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(oldestMessageAge, "oldestMessageAge");
    if (state == State.FAILING && cause.isEmpty()) {
      throw new IllegalArgumentException("a failing change feed needs a cause");
    }
  }

  /** Whether the feed is read. */
  public enum State {
    /** Not read yet: the first read has not answered. */
    STARTING,
    /** Read; changes arrive as events. */
    READING,
    /** Not answering; discovery polls at the shorter interval meanwhile. */
    FAILING;

    /** The state as the API prints it, e.g. {@code reading}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
