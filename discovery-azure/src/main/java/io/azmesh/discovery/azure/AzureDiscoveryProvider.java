package io.azmesh.discovery.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Context;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
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
 * {@link ListAllScan} and {@link PowerStates}). A refresh either returns the complete inventory of
 * every scope or throws: it is bounded by the configured timeout, and the number of HTTP requests
 * it made and the lowest rate-limit budget ARM reported are in its {@link DiscoveryStats}.
 *
 * <p>When ARM throttles with a {@code Retry-After}, the provider remembers until when, and every
 * refresh before then fails at once as {@code throttled} without a call: throttling is per
 * subscription and shared with every other client, so calling through it only prolongs it.
 */
public final class AzureDiscoveryProvider implements DiscoveryProvider {
  /** The name the provider is registered under. */
  public static final String NAME = "azure";

  private static final Logger log = LoggerFactory.getLogger(AzureDiscoveryProvider.class);

  private final AzureDiscoveryConfig config;
  private final Map<String, ArmClients> clients;
  private final ListAllScan scan;
  private final AzureFailures failures;
  private final Clock clock;
  private final ExecutorService executor;
  private volatile Optional<Throttling> backingOff = Optional.empty();
  private final PowerStateMemory memory = new PowerStateMemory();

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
    Future<ListAllScan.Result> refresh = executor.submit(() -> scanAll(calls.context()));
    ListAllScan.Result result;
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
      DiscoveryException failure = failures.classify(e.getCause());
      if (failure.causeLabel().equals("throttled")) {
        backOff(calls);
      }
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
                calls.budgets()));
    log.debug(
        "azure discovery: {} instances, {} problems, {} requests in {}, lowest rate limit left {}",
        discovery.instances().size(),
        discovery.problems().size(),
        calls.requests(),
        elapsed,
        calls.lowestRateLimitRemaining());
    return discovery;
  }

  /** Before the time the last throttling asked for, a refresh fails without calling ARM. */
  private void failFastWhileThrottled(Instant now) throws DiscoveryException {
    Optional<Throttling> throttling = backingOff;
    if (throttling.isPresent() && now.isBefore(throttling.get().until())) {
      Throttling t = throttling.get();
      throw new DiscoveryException(
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
  }

  private void backOff(RefreshCalls calls) {
    calls
        .lastThrottling()
        .filter(t -> backingOff.map(b -> t.until().isAfter(b.until())).orElse(true))
        .ifPresent(t -> backingOff = Optional.of(t));
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

  private ListAllScan.Result scanAll(Context context) throws DiscoveryException {
    List<Instance> instances = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    PowerStates powerStates = new PowerStates(config, clients, context);
    Set<String> listed = new HashSet<>();
    for (ListingScope scope : config.scopes()) {
      ListAllScan.Result result =
          scan.scan(
              new ScopedListings(clients.get(scope.subscription()), scope, context),
              powerStates,
              listed);
      instances.addAll(result.instances());
      problems.addAll(result.problems());
    }
    memory.retainOnly(listed);
    return new ListAllScan.Result(instances, problems);
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
