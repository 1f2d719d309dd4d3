package io.azmesh.discovery.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.util.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the HTTP requests of one refresh saw, collected by {@link RefreshCallPolicy} from the
 * request {@link Context}: how many were made, the lowest rate-limit budget ARM reported (overall
 * and by policy name), and the last throttling. It also holds the refresh's deadline, which caps
 * any {@code Retry-After} wait.
 */
final class RefreshCalls {
  private static final String KEY = "io.azmesh.discovery.azure.refresh-calls";

  private final Clock clock;
  private final Instant deadline;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong lowestRemaining = new AtomicLong(Long.MAX_VALUE);
  private final Map<String, Long> budgets = new ConcurrentHashMap<>();
  private volatile Throttling lastThrottling;

  RefreshCalls(Clock clock, Instant deadline) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /** A context that records the requests made with it into this. */
  Context context() {
    return Context.NONE.addData(KEY, this);
  }

  static Optional<RefreshCalls> of(HttpPipelineCallContext context) {
    return of(context.getContext());
  }

  static Optional<RefreshCalls> of(Context context) {
    return context
        .getData(KEY)
        .filter(RefreshCalls.class::isInstance)
        .map(RefreshCalls.class::cast);
  }

  void requested() {
    requests.incrementAndGet();
  }

  void rateLimitRemaining(long remaining) {
    lowestRemaining.accumulateAndGet(remaining, Math::min);
  }

  /** A budget an answer announced, by its policy name; the lowest of the refresh is kept. */
  void budget(String policy, long remaining) {
    budgets.merge(policy, remaining, Math::min);
  }

  void throttled(Throttling throttling) {
    this.lastThrottling = throttling;
  }

  Instant now() {
    return clock.instant();
  }

  /** Time left until the refresh's deadline; negative once past it. */
  Duration left() {
    return Duration.between(clock.instant(), deadline);
  }

  int requests() {
    return requests.get();
  }

  OptionalLong lowestRateLimitRemaining() {
    long lowest = lowestRemaining.get();
    return lowest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(lowest);
  }

  /** The lowest count each budget reported, by policy name. */
  Map<String, Long> budgets() {
    return Map.copyOf(budgets);
  }

  Optional<Throttling> lastThrottling() {
    return Optional.ofNullable(lastThrottling);
  }
}
