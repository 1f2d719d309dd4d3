package io.azmesh.xds.server.testing;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An inventory held in memory that tests edit; signals a change on every edit. */
public final class TestProvider implements DiscoveryProvider {
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile List<Instance> instances = List.of();
  private volatile DiscoveryException failure;
  private volatile int apiCalls;
  private volatile java.util.OptionalLong rateLimitRemaining = java.util.OptionalLong.empty();
  private volatile java.util.Map<String, Long> budgets = java.util.Map.of();
  private volatile Runnable work = () -> {};

  public TestProvider(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "test";
  }

  @Override
  public Discovery discover() throws DiscoveryException {
    calls.incrementAndGet();
    work.run();
    DiscoveryException f = failure;
    if (f != null) {
      throw f;
    }
    return new Discovery(
        instances,
        List.of(),
        clock.instant(),
        new DiscoveryStats("test", apiCalls, Duration.ZERO, rateLimitRemaining, budgets));
  }

  @Override
  public ChangeSubscription onChange(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Replaces the inventory and signals the change. */
  public void set(List<Instance> next) {
    instances = List.copyOf(next);
    listeners.forEach(Runnable::run);
  }

  public List<Instance> instances() {
    return instances;
  }

  /** Makes every discovery fail with the given error until {@link #recover()}. */
  public void fail(DiscoveryException error) {
    failure = error;
    listeners.forEach(Runnable::run);
  }

  /** Every discovery from now on reports that the remote API has this many calls left. */
  public void rateLimitRemaining(long remaining) {
    this.rateLimitRemaining = java.util.OptionalLong.of(remaining);
  }

  /** Every discovery from now on reports these budgets left, by policy name. */
  public void budgets(java.util.Map<String, Long> left) {
    this.budgets = java.util.Map.copyOf(left);
  }

  /** Every discovery from now on runs {@code work} first and reports {@code apiCalls} calls. */
  public void costs(int apiCalls, Runnable work) {
    this.apiCalls = apiCalls;
    this.work = work;
  }

  public void recover() {
    failure = null;
    listeners.forEach(Runnable::run);
  }

  public int calls() {
    return calls.get();
  }
}
