package io.azmesh.discovery.azure.events;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.ListingScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The azure provider with a change queue: discovery itself is the wrapped provider's, and Event
 * Grid's resource events read from an Azure Storage queue make it refresh at once (see {@link
 * ChangeQueueReader}). A refresh that finds a change no event announced, while the queue was read
 * throughout, is counted as unannounced: a steady count says events do not arrive.
 */
public final class ChangeQueueProvider implements DiscoveryProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeQueueProvider.class);

  private final DiscoveryProvider delegate;
  private final ChangeQueueReader reader;
  private final Clock clock;

  // The discovery thread's (discover() is called from one thread at a time).
  private Optional<Map<String, Instance>> previous = Optional.empty();
  private Optional<Instant> previousStart = Optional.empty();
  private volatile Optional<Covered> lastDiscovery = Optional.empty();

  private ChangeQueueProvider(DiscoveryProvider delegate, ChangeQueueReader reader, Clock clock) {
    this.delegate = delegate;
    this.reader = reader;
    this.clock = clock;
  }

  public static Builder builder(
      DiscoveryProvider delegate, List<ListingScope> scopes, ChangeQueueConfig config) {
    return new Builder(delegate, scopes, config);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Discovery discover() throws DiscoveryException {
    Instant start = clock.instant();
    Set<String> covered = reader.heldMessages();
    Discovery discovery = delegate.discover();
    Instant end = clock.instant();
    countUnannounced(discovery, start, end);
    previous = Optional.of(byKey(discovery.instances()));
    previousStart = Optional.of(start);
    lastDiscovery = Optional.of(new Covered(start, covered));
    List<Problem> feedProblems = reader.problems();
    if (feedProblems.isEmpty()) {
      return discovery;
    }
    List<Problem> problems = new ArrayList<>(discovery.problems());
    problems.addAll(feedProblems);
    return new Discovery(
        discovery.instances(), problems, discovery.observedAt(), discovery.stats());
  }

  /**
   * Counts this refresh when it found an instance added, changed or gone that no event read since
   * the previous refresh began announced, provided the queue answered all that time.
   */
  private void countUnannounced(Discovery discovery, Instant start, Instant end) {
    if (previous.isEmpty() || previousStart.isEmpty() || reader.failedSince(previousStart.get())) {
      reader.forgetAnnouncements(start);
      return;
    }
    Map<String, Instance> before = previous.get();
    Map<String, Instance> now = byKey(discovery.instances());
    Set<String> keys = new HashSet<>(before.keySet());
    keys.addAll(now.keySet());
    List<String> unannounced = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(before.get(key), now.get(key)) && !reader.announced(key, end)) {
        unannounced.add(key);
      }
    }
    reader.forgetAnnouncements(start);
    if (!unannounced.isEmpty()) {
      reader.countUnannounced();
      LOG.debug("a refresh found changes no event announced: {}", unannounced);
    }
  }

  private static Map<String, Instance> byKey(List<Instance> instances) {
    Map<String, Instance> map = new HashMap<>();
    for (Instance instance : instances) {
      map.put(instance.id().toLowerCase(Locale.ROOT), instance);
    }
    return map;
  }

  @Override
  public void applied(Discovery discovery) {
    delegate.applied(discovery);
    lastDiscovery.ifPresent(c -> reader.applied(c.start(), c.messages()));
  }

  @Override
  public ChangeSubscription onChange(Runnable listener) {
    reader.start(listener);
    return reader::close;
  }

  @Override
  public Optional<ChangeFeedStatus> changeFeed() {
    return Optional.of(reader.status());
  }

  @Override
  public void close() {
    reader.close();
    delegate.close();
  }

  /** What one discovery covered: the messages held when it started. */
  private record Covered(Instant start, Set<String> messages) {}

  /** Builds a {@link ChangeQueueProvider}. */
  public static final class Builder {
    private final DiscoveryProvider delegate;
    private final List<ListingScope> scopes;
    private final ChangeQueueConfig config;
    private Supplier<TokenCredential> credential;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    private Builder(
        DiscoveryProvider delegate, List<ListingScope> scopes, ChangeQueueConfig config) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.scopes = List.copyOf(scopes);
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The credential for a queue URL without a SAS token: the provider's own. */
    public Builder credential(Supplier<TokenCredential> credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
      return this;
    }

    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public ChangeQueueProvider build() {
      QueueClientBuilder queue =
          new QueueClientBuilder()
              .endpoint(config.endpoint())
              // Event Grid writes plain or base64 JSON; the reader tells which, not the SDK.
              .messageEncoding(QueueMessageEncoding.NONE)
              // One try per read: the reader backs off itself and reports each failure.
              .retryOptions(
                  new RequestRetryOptions(
                      RetryPolicyType.FIXED, 1, Duration.ofSeconds(20), null, null, null));
      if (httpClient != null) {
        queue.httpClient(httpClient);
      }
      if (config.sasToken().isPresent()) {
        queue.sasToken(config.sasToken().get());
      } else if (credential != null) {
        queue.credential(credential.get());
      } else {
        throw new IllegalArgumentException(
            "setting "
                + ChangeQueueConfig.SETTING
                + " is '"
                + config.redactedUrl()
                + "' without a SAS token, and no credential was given to read it with");
      }
      QueueClient client = queue.buildClient();
      return new ChangeQueueProvider(
          delegate, new ChangeQueueReader(client, config, scopes, clock, new Random()), clock);
    }
  }
}
