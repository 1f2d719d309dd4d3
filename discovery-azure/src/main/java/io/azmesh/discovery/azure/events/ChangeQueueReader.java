package io.azmesh.discovery.azure.events;

import com.azure.core.util.BinaryData;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.ListingScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Event Grid's resource events from a Storage queue on a thread of its own and signals a
 * refresh, once per burst, when one names a VM, scale set or scale-set VM in scope.
 *
 * <p>A message that matters is held (invisible to other reads) until the refresh that began after
 * it was read has been applied; then it is deleted. Anything else is deleted at once: events of
 * other types or resources or out of scope, duplicates (an event id already read), replays (an
 * event older than the last applied refresh), and messages that are not events at all. A queue that
 * does not answer is retried with back-off, logged when it starts and stops failing (with the count
 * between), and meanwhile the reader signals a refresh every {@link
 * ChangeQueueConfig#fallbackRefresh()}, so discovery polls as it would without a queue.
 */
final class ChangeQueueReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeQueueReader.class);

  /** Azure Storage's most messages in one receive. */
  static final int BATCH = 32;

  /** Event ids remembered to spot duplicates: a few bursts' worth. */
  private static final int RECENT_IDS = 8192;

  /** An event this much older than the last applied refresh's start is a replay. */
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  /** How long the last rejected message stays a Problem. */
  private static final Duration REJECTION_SHOWN = Duration.ofHours(1);

  private final QueueClient queue;
  private final ChangeQueueConfig config;
  private final List<ListingScope> scopes;
  private final Clock clock;
  private final RandomGenerator random;
  private final Object sleeper = new Object();

  // Guarded by this.
  private final Map<String, Held> pending = new LinkedHashMap<>();
  private final List<String> dueForDeletion = new ArrayList<>();
  private final List<Announcement> announced = new ArrayList<>();
  private final Set<String> recentIds = new HashSet<>();
  private final java.util.ArrayDeque<String> recentOrder = new java.util.ArrayDeque<>();
  private final Set<String> loggedRejections = new HashSet<>();
  private ChangeFeedStatus.State state = ChangeFeedStatus.State.STARTING;
  private Optional<QueueFailure> failure = Optional.empty();
  private Instant since;
  private Optional<Instant> lastFailureAt = Optional.empty();
  private Optional<Instant> lastAppliedStart = Optional.empty();
  private Optional<Rejection> lastRejection = Optional.empty();
  private long eventsRead;
  private long eventsIgnored;
  private long messagesRejected;
  private long refreshesRequested;
  private long unannouncedChanges;
  private long failedAttempts;

  // Reader thread only.
  private Optional<Instant> burstStartedAt = Optional.empty();
  private Optional<Instant> nextFallbackAt = Optional.empty();

  private volatile Runnable listener;
  private volatile boolean closed;
  private Thread thread;

  ChangeQueueReader(
      QueueClient queue,
      ChangeQueueConfig config,
      List<ListingScope> scopes,
      Clock clock,
      RandomGenerator random) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.config = Objects.requireNonNull(config, "config");
    this.scopes = List.copyOf(scopes);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.since = clock.instant();
  }

  /** Starts reading; {@code listener} is run for each coalesced burst and each fallback poll. */
  synchronized void start(Runnable listener) {
    if (thread != null) {
      throw new IllegalStateException("the change queue reader is already started");
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    thread = new Thread(this::run, "azmesh-change-queue");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (!closed) {
      Duration wait;
      try {
        deleteDue();
        List<QueueMessageItem> batch = receive();
        answered();
        handle(batch);
        wait = afterRead(batch.size());
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        wait = failed(QueueFailure.of(e));
      }
      signalDue();
      sleep(wait);
    }
  }

  /** One read: what the reader did in one pass, for tests that drive it by hand. */
  void readOnce() {
    deleteDue();
    List<QueueMessageItem> batch = receive();
    answered();
    handle(batch);
  }

  private List<QueueMessageItem> receive() {
    List<QueueMessageItem> batch = new ArrayList<>(BATCH);
    queue.receiveMessages(BATCH, config.visibilityTimeout(), null, null).forEach(batch::add);
    return batch;
  }

  private void handle(List<QueueMessageItem> batch) {
    Instant now = clock.instant();
    List<Held> deleteNow = new ArrayList<>();
    boolean burst = false;
    synchronized (this) {
      for (QueueMessageItem item : batch) {
        Held held =
            new Held(
                item.getMessageId(),
                item.getPopReceipt(),
                Optional.ofNullable(item.getInsertionTime()).map(t -> t.toInstant()).orElse(now));
        Held before = pending.get(held.messageId());
        if (before != null) {
          // Visible again before its refresh was applied: the newest receipt deletes it.
          pending.put(held.messageId(), held.insertedAt(before.insertedAt()));
          continue;
        }
        List<ChangeEvent> events;
        try {
          events = EventMessages.parse(text(item));
        } catch (NotAnEventException e) {
          rejected(item.getMessageId(), e.getMessage(), now);
          deleteNow.add(held);
          continue;
        }
        int relevant = 0;
        for (ChangeEvent event : events) {
          Optional<ComputeSubject> subject = relevant(event);
          if (subject.isPresent()) {
            relevant++;
            announced.add(new Announcement(subject.get(), now));
          } else {
            eventsIgnored++;
          }
        }
        if (relevant > 0) {
          eventsRead += relevant;
          pending.put(held.messageId(), held);
          burst = true;
        } else {
          deleteNow.add(held);
        }
      }
    }
    if (burst && burstStartedAt.isEmpty()) {
      burstStartedAt = Optional.of(now);
    }
    for (Held held : deleteNow) {
      delete(held);
    }
  }

  /** The subject, when the event is a new change to a compute resource in scope. */
  private Optional<ComputeSubject> relevant(ChangeEvent event) {
    if (!event.isResourceChange()) {
      return Optional.empty();
    }
    Optional<ComputeSubject> subject = ComputeSubject.parse(event.subject());
    if (subject.isEmpty() || scopes.stream().noneMatch(subject.get()::within)) {
      return Optional.empty();
    }
    if (!remember(event.id())) {
      return Optional.empty();
    }
    if (event.time().isPresent()
        && lastAppliedStart.isPresent()
        && event.time().get().plus(CLOCK_SKEW).isBefore(lastAppliedStart.get())) {
      // A refresh that started after the operation has already seen it.
      return Optional.empty();
    }
    return subject;
  }

  /** False when the id was read before. */
  private boolean remember(String eventId) {
    if (!recentIds.add(eventId)) {
      return false;
    }
    recentOrder.addLast(eventId);
    if (recentOrder.size() > RECENT_IDS) {
      recentIds.remove(recentOrder.removeFirst());
    }
    return true;
  }

  private void rejected(String messageId, String reason, Instant now) {
    messagesRejected++;
    lastRejection = Optional.of(new Rejection(messageId, reason, now, messagesRejected));
    // Named once per reason: a stream of the same bad message is one log line, and a count.
    String kind = reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason;
    if (loggedRejections.add(kind)) {
      LOG.warn(
          "change queue {}: message {} is not an event ({}); deleted. Messages like it are"
              + " counted in the change feed's rejected messages, not logged again",
          config.redactedUrl(),
          messageId,
          reason);
    }
  }

  private static String text(QueueMessageItem item) {
    BinaryData body = item.getBody();
    return body != null ? body.toString() : item.getMessageText();
  }

  private void delete(Held held) {
    try {
      queue.deleteMessage(held.messageId(), held.popReceipt());
    } catch (QueueStorageException e) {
      if (e.getStatusCode() != 404) {
        throw e;
      }
      // Gone already, or read again since: then it is deleted, or skipped as a duplicate, later.
    }
  }

  private void deleteDue() {
    List<Held> due = new ArrayList<>();
    synchronized (this) {
      for (String id : dueForDeletion) {
        Held held = pending.remove(id);
        if (held != null) {
          due.add(held);
        }
      }
      dueForDeletion.clear();
    }
    for (int i = 0; i < due.size(); i++) {
      try {
        delete(due.get(i));
      } catch (RuntimeException e) {
        synchronized (this) {
          for (Held left : due.subList(i, due.size())) {
            pending.putIfAbsent(left.messageId(), left);
            dueForDeletion.add(left.messageId());
          }
        }
        throw e;
      }
    }
  }

  private Duration afterRead(int read) {
    if (read >= BATCH) {
      return Duration.ZERO;
    }
    if (burstStartedAt.isPresent()) {
      Duration left =
          Duration.between(clock.instant(), burstStartedAt.get().plus(config.coalescing()));
      return left.isNegative() ? Duration.ZERO : min(left, config.emptyPoll());
    }
    return config.emptyPoll();
  }

  /** Signals the end of a burst, or a fallback poll while the queue fails. */
  private void signalDue() {
    Instant now = clock.instant();
    boolean signal = false;
    if (burstStartedAt.isPresent()
        && !now.isBefore(burstStartedAt.get().plus(config.coalescing()))) {
      burstStartedAt = Optional.empty();
      signal = true;
    }
    if (nextFallbackAt.isPresent() && !now.isBefore(nextFallbackAt.get())) {
      nextFallbackAt = Optional.of(now.plus(config.fallbackRefresh()));
      signal = true;
    }
    if (signal) {
      synchronized (this) {
        refreshesRequested++;
      }
      listener.run();
    }
  }

  private void answered() {
    boolean recovered;
    synchronized (this) {
      recovered = state == ChangeFeedStatus.State.FAILING;
      if (state != ChangeFeedStatus.State.READING) {
        if (recovered) {
          LOG.info(
              "change queue {} answers again after {} failed reads since {}; last: {}",
              config.redactedUrl(),
              failedAttempts,
              since,
              failure.map(QueueFailure::describe).orElse("?"));
        }
        state = ChangeFeedStatus.State.READING;
        since = clock.instant();
        failure = Optional.empty();
        failedAttempts = 0;
      }
    }
    if (recovered) {
      nextFallbackAt = Optional.empty();
      // Events may have been lost while it failed (a queue recreated): look once.
      burstStartedAt = Optional.of(clock.instant().minus(config.coalescing()));
    }
  }

  private Duration failed(QueueFailure cause) {
    Instant now = clock.instant();
    long attempts;
    synchronized (this) {
      boolean first = state != ChangeFeedStatus.State.FAILING;
      boolean changed = failure.map(f -> f.kind() != cause.kind()).orElse(true);
      failedAttempts++;
      attempts = failedAttempts;
      lastFailureAt = Optional.of(now);
      if (first) {
        state = ChangeFeedStatus.State.FAILING;
        since = now;
        LOG.warn(
            "change queue {} {}; discovery polls every {} until it answers, and reading is"
                + " retried with back-off",
            config.redactedUrl(),
            cause.describe(),
            config.fallbackRefresh());
      } else if (changed) {
        LOG.warn(
            "change queue {} {} (after {} failed reads)",
            config.redactedUrl(),
            cause.describe(),
            attempts - 1);
      }
      failure = Optional.of(cause);
    }
    if (nextFallbackAt.isEmpty()) {
      nextFallbackAt = Optional.of(now.plus(config.fallbackRefresh()));
    }
    long exponent = Math.min(attempts - 1, 16);
    Duration backoff = min(Duration.ofMillis(500L << exponent), config.maxBackoff());
    double spread = 0.8 + 0.4 * random.nextDouble();
    backoff = Duration.ofNanos(Math.round(backoff.toNanos() * spread));
    Duration untilFallback = Duration.between(now, nextFallbackAt.get());
    return min(backoff, untilFallback.isNegative() ? Duration.ZERO : untilFallback);
  }

  private void sleep(Duration wait) {
    if (wait.isZero() || closed) {
      return;
    }
    synchronized (sleeper) {
      try {
        sleeper.wait(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---- the provider's side, on the discovery thread ----

  /** The messages a refresh starting now covers: those read so far. */
  synchronized Set<String> heldMessages() {
    return Set.copyOf(pending.keySet());
  }

  /**
   * A refresh that started at {@code start} has been applied: the messages it covered are deleted,
   * and events older than it are replays from now on.
   */
  synchronized void applied(Instant start, Collection<String> messages) {
    dueForDeletion.addAll(messages);
    if (lastAppliedStart.map(start::isAfter).orElse(true)) {
      lastAppliedStart = Optional.of(start);
    }
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
  }

  /**
   * Whether an event read before {@code until} announced a change to {@code instanceKey}; events
   * read before {@code forgetBefore} are forgotten afterwards by {@link #forgetAnnouncements}.
   */
  synchronized boolean announced(String instanceKey, Instant until) {
    for (Announcement a : announced) {
      if (!a.readAt().isAfter(until) && a.subject().announces(instanceKey)) {
        return true;
      }
    }
    return false;
  }

  /** Drops announcements read before {@code before}: the refresh that started then saw them. */
  synchronized void forgetAnnouncements(Instant before) {
    announced.removeIf(a -> a.readAt().isBefore(before));
  }

  /** Whether the queue failed at or after {@code since}: changes then arrive unannounced. */
  synchronized boolean failedSince(Instant since) {
    return state != ChangeFeedStatus.State.READING
        || lastFailureAt.map(at -> !at.isBefore(since)).orElse(false);
  }

  synchronized void countUnannounced() {
    unannouncedChanges++;
  }

  synchronized ChangeFeedStatus status() {
    Instant now = clock.instant();
    Optional<Duration> oldest =
        pending.values().stream()
            .map(Held::insertedAt)
            .min(Instant::compareTo)
            .map(t -> Duration.between(t, now))
            .map(d -> d.isNegative() ? Duration.ZERO : d);
    return new ChangeFeedStatus(
        config.redactedUrl(),
        state,
        failure.map(QueueFailure::describe),
        since,
        eventsRead,
        eventsIgnored,
        messagesRejected,
        refreshesRequested,
        unannouncedChanges,
        failedAttempts,
        oldest);
  }

  /** What an operator should see among the discovery's Problems. */
  synchronized List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    String subject = "change queue " + config.redactedUrl();
    failure.ifPresent(
        f ->
            problems.add(
                Problem.of(
                    subject,
                    "state",
                    "failing",
                    f.describe()
                        + "; discovery polls every "
                        + config.fallbackRefresh()
                        + " until it answers")));
    lastRejection
        .filter(r -> r.at().plus(REJECTION_SHOWN).isAfter(clock.instant()))
        .ifPresent(
            r ->
                problems.add(
                    Problem.of(
                        subject,
                        "message " + r.messageId(),
                        "not an event",
                        r.reason()
                            + "; deleted ("
                            + r.count()
                            + " such messages since start, the last at "
                            + r.at()
                            + ")")));
    return problems;
  }

  /** A message held until its refresh is applied. */
  private record Held(String messageId, String popReceipt, Instant insertedAt) {
    Held insertedAt(Instant first) {
      return new Held(messageId, popReceipt, first);
    }
  }

  private record Announcement(ComputeSubject subject, Instant readAt) {}

  private record Rejection(String messageId, String reason, Instant at, long count) {}
}
