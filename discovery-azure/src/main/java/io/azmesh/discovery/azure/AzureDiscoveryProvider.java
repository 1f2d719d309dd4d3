package io.azmesh.discovery.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Context;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryScope;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers Azure VMs and scale-set instances through the Azure SDK within a fixed call budget (see
 * {@link ListAllScan} and {@link PowerStates}). It is bounded by the configured timeout, and the
 * number of HTTP requests it made and the lowest rate-limit budget ARM reported are in its {@link
 * DiscoveryStats}.
 *
 * <p>Fail-static per scope: each scope (a subscription, or a resource group of one) is listed on
 * its own. A scope that fails or is throttled keeps the instances of its last good listing, with a
 * {@link Problem} naming it and its {@link DiscoveryScope} saying so, while the other scopes go on.
 * Only when every scope fails does the refresh fail as a whole (the caller then keeps its last good
 * world).
 *
 * <p>When ARM throttles with a {@code Retry-After}, the provider remembers until when, per
 * subscription: ARM throttles per subscription, and calling through it only prolongs it. Before
 * then, that subscription's scopes are not called and keep their last good instances; a refresh
 * whose every scope is waiting fails at once as {@code throttled} without a call.
 */
public final class AzureDiscoveryProvider implements DiscoveryProvider {
  /** The name the provider is registered under. */
  public static final String NAME = "azure";

  private static final Logger log = LoggerFactory.getLogger(AzureDiscoveryProvider.class);

  private final AzureDiscoveryConfig config;
  private final Map<String, ArmClients> clients;
  private final ListAllScan scan;
  private final AzureFailures failures;
  private final PowerStateMemory memory = new PowerStateMemory();
  private final Clock clock;
  private final ExecutorService executor;
  // Per subscription: until when ARM asked not to be called. Written by refreshes, one at a time.
  private final Map<String, Throttling> backingOff = new java.util.concurrent.ConcurrentHashMap<>();
  // Per scope: its last good listing and when it was made.
  private final Map<ListingScope, LastGood> lastGood =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record LastGood(ListAllScan.Result result, Instant at) {}

  private AzureDiscoveryProvider(Builder builder) {
    this.config = builder.config;
    this.clock = builder.clock;
    HttpClient httpClient =
        builder.httpClient != null ? builder.httpClient : HttpClient.createDefault();
    TokenCredential credential =
        builder.credential != null
            ? builder.credential
            : AzureCredentials.create(config.auth(), config.endpoints(), httpClient);
    this.clients =
        ArmClients.create(config, httpClient, credential).stream()
            .collect(Collectors.toMap(ArmClients::subscription, c -> c));
    this.scan = new ListAllScan(config, memory);
    this.failures = new AzureFailures(config);
    // A refresh that timed out may still be unwinding; a fresh thread keeps it from blocking the
    // next.
    this.executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "azure-discovery");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A provider with the SDK's default HTTP client and the credential {@code config} asks for. */
  public static AzureDiscoveryProvider create(AzureDiscoveryConfig config) {
    return builder(config).build();
  }

  public static Builder builder(AzureDiscoveryConfig config) {
    return new Builder(config);
  }

  /** The configuration this provider runs with. */
  public AzureDiscoveryConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Discovery discover() throws DiscoveryException {
    Instant started = clock.instant();
    failFastWhileThrottled(started);
    RefreshCalls calls = new RefreshCalls(clock, started.plus(config.timeout()));
    Future<Scanned> refresh = executor.submit(() -> scanAll(calls, started));
    Scanned result;
    try {
      result = refresh.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      refresh.cancel(true);
      throw timedOut(calls, e);
    } catch (InterruptedException e) {
      refresh.cancel(true);
      Thread.currentThread().interrupt();
      throw new DiscoveryException("interrupted", "azure discovery was interrupted", e);
    } catch (ExecutionException e) {
      DiscoveryException failure =
          e.getCause() instanceof DiscoveryException classified
              ? classified
              : failures.classify(e.getCause());
      // The caller reports the failure (its message carries ARM's request ids); no second log line.
      log.debug(
          "azure discovery failed after {} requests: {}", calls.requests(), failure.getMessage());
      throw failure;
    }
    Instant finished = clock.instant();
    Duration elapsed = Duration.between(started, finished);
    Discovery discovery =
        new Discovery(
                InstanceNames.unique(result.instances()),
                result.problems(),
                finished,
                new DiscoveryStats(
                    NAME,
                    calls.requests(),
                    elapsed.isNegative() ? Duration.ZERO : elapsed,
                    calls.lowestRateLimitRemaining(),
                    calls.budgets()))
            .withScopes(result.scopes());
    log.debug(
        "azure discovery: {} instances, {} problems, {} requests in {}, lowest rate limit left {}",
        discovery.instances().size(),
        discovery.problems().size(),
        calls.requests(),
        elapsed,
        calls.lowestRateLimitRemaining());
    return discovery;
  }

  /**
   * Before the time its last throttling asked for, a scope is not called; when that holds for every
   * scope, the refresh fails without calling ARM.
   */
  private void failFastWhileThrottled(Instant now) throws DiscoveryException {
    Optional<Throttling> first = Optional.empty();
    for (ListingScope scope : config.scopes()) {
      Optional<Throttling> waiting = waiting(scope, now);
      if (waiting.isEmpty()) {
        return;
      }
      first = first.or(() -> waiting);
    }
    if (first.isPresent()) {
      throw stillThrottled(first.get());
    }
  }

  /** The throttling {@code scope}'s subscription is still waiting out at {@code now}. */
  private Optional<Throttling> waiting(ListingScope scope, Instant now) {
    return Optional.ofNullable(backingOff.get(scope.subscription()))
        .filter(t -> now.isBefore(t.until()));
  }

  private static DiscoveryException stillThrottled(Throttling t) {
    return new DiscoveryException(
        "throttled",
        "ARM throttled "
            + t.request()
            + " and asked to wait "
            + t.describeWait()
            + " ("
            + t.waitHeader()
            + "); no call before "
            + t.until()
            + ", so this refresh made none; "
            + t.ids().describe());
  }

  /** Remembers the refresh's last throttling for the subscription it named (or for all). */
  private void backOff(RefreshCalls calls) {
    calls
        .lastThrottling()
        .ifPresent(
            t -> {
              Optional<String> subscription =
                  ListingScope.ofPath(t.request().substring(t.request().indexOf(' ') + 1))
                      .map(ListingScope::subscription);
              List<String> subscriptions =
                  subscription
                      .map(List::of)
                      .orElseGet(
                          () ->
                              config.scopes().stream()
                                  .map(ListingScope::subscription)
                                  .distinct()
                                  .toList());
              for (String s : subscriptions) {
                backingOff.merge(s, t, (old, now) -> now.until().isAfter(old.until()) ? now : old);
              }
            });
  }

  /** A refresh that ran out of time while ARM had it waiting on a 429 was throttled. */
  private DiscoveryException timedOut(RefreshCalls calls, TimeoutException e) {
    Optional<Throttling> throttling = calls.lastThrottling();
    if (throttling.isPresent() && throttling.get().until().isAfter(clock.instant())) {
      backOff(calls);
      return new DiscoveryException(
          "throttled",
          "azure discovery did not finish within "
              + Throttling.describe(config.timeout())
              + " (HTTP requests made: "
              + calls.requests()
              + ") while waiting out ARM's throttling of "
              + throttling.get().request()
              + " ("
              + throttling.get().waitHeader()
              + " "
              + throttling.get().describeWait()
              + "); "
              + throttling.get().ids().describe(),
          e);
    }
    return new DiscoveryException(
        "timeout",
        "azure discovery did not finish within "
            + Throttling.describe(config.timeout())
            + " (HTTP requests made: "
            + calls.requests()
            + "); ARM is slow to answer",
        e);
  }

  /** What one refresh found: the instances and problems of every scope, and each scope's health. */
  private record Scanned(
      List<Instance> instances, List<Problem> problems, List<DiscoveryScope> scopes) {}

  /**
   * Lists every scope on its own: a scope that fails, or whose subscription is waiting out a
   * Retry-After, keeps its last good listing while the others go on. Throws the first failure when
   * no scope was listed.
   */
  private Scanned scanAll(RefreshCalls calls, Instant started) throws DiscoveryException {
    Context context = calls.context();
    List<Instance> instances = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<DiscoveryScope> scopes = new ArrayList<>();
    PowerStates powerStates = new PowerStates(config, clients, context);
    Set<String> listed = new HashSet<>();
    DiscoveryException firstFailure = null;
    for (ListingScope scope : config.scopes()) {
      DiscoveryException failure;
      Optional<Throttling> waiting = waiting(scope, clock.instant());
      if (waiting.isPresent()) {
        failure = stillThrottled(waiting.get());
      } else {
        try {
          ListAllScan.Result result =
              scan.scan(
                  new ScopedListings(clients.get(scope.subscription()), scope, context),
                  powerStates,
                  listed);
          lastGood.put(scope, new LastGood(result, started));
          instances.addAll(result.instances());
          problems.addAll(result.problems());
          scopes.add(DiscoveryScope.ok(scope.describe(), result.instances().size(), started));
          continue;
        } catch (RuntimeException e) {
          if (Thread.currentThread().isInterrupted()) {
            // The refresh timed out or was cancelled: it fails as a whole.
            throw e;
          }
          failure = failures.classify(e);
          if (failure.causeLabel().equals("throttled")) {
            backOff(calls);
          }
        }
      }
      firstFailure = firstFailure == null ? failure : firstFailure;
      Optional<LastGood> kept = Optional.ofNullable(lastGood.get(scope));
      kept.ifPresent(
          k -> {
            instances.addAll(k.result().instances());
            problems.addAll(k.result().problems());
          });
      DiscoveryScope health =
          DiscoveryScope.failed(
              scope.describe(),
              failure.causeLabel(),
              failure.getMessage(),
              kept.map(k -> k.result().instances().size()).orElse(0),
              kept.map(LastGood::at));
      scopes.add(health);
      problems.add(health.problem().orElseThrow());
    }
    if (scopes.stream().noneMatch(s -> s.health() == DiscoveryScope.Health.OK)) {
      throw firstFailure;
    }
    if (firstFailure == null) {
      // Only a refresh that listed every scope knows which VMs are gone: a failed scope's VMs keep
      // their remembered power states.
      memory.retainOnly(listed);
    }
    return new Scanned(instances, problems, scopes);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /**
   * Builds a provider; the HTTP client and the credential default to the SDK's and the config's.
   */
  public static final class Builder {
    private final AzureDiscoveryConfig config;
    private HttpClient httpClient;
    private TokenCredential credential;
    private Clock clock = Clock.systemUTC();

    private Builder(AzureDiscoveryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The HTTP client for ARM and token requests, e.g. one that trusts a private CA. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** A credential to use instead of the one {@link AzureDiscoveryConfig#auth()} describes. */
    public Builder credential(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
      return this;
    }

    /**
     * The clock for {@link Discovery#observedAt()}, elapsed times, the refresh deadline and how
     * long to back off after a {@code Retry-After}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public AzureDiscoveryProvider build() {
      return new AzureDiscoveryProvider(this);
    }
  }
}
