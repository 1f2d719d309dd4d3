package io.azmesh.discovery.azure.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Event Grid's resource events arrive and how they are read.
 *
 * @param queueUrl the Storage queue's URL, {@code
 *     https://{account}.queue.core.windows.net/{queue}}, with a SAS token as its query when it
 *     carries its own authorization
 * @param fallbackRefresh how often discovery polls while the queue does not answer (the interval it
 *     would have without a queue)
 * @param coalescing how long after the first event of a burst the reader waits before signalling,
 *     so a scale-out of 50 VMs is one refresh
 * @param emptyPoll how long the reader waits after finding the queue empty
 * @param visibilityTimeout how long a received message stays invisible to other reads; it must
 *     outlast a refresh, after which the message is deleted
 * @param maxBackoff the longest wait between reads of a queue that does not answer
 */
public record ChangeQueueConfig(
    URI queueUrl,
    Duration fallbackRefresh,
    Duration coalescing,
    Duration emptyPoll,
    Duration visibilityTimeout,
    Duration maxBackoff) {

  /** The provider setting (and {@code meshctl} flag without dashes) that names the queue. */
  static final String SETTING = "change-queue";

  public ChangeQueueConfig {
    Objects.requireNonNull(queueUrl, "queueUrl");
    positive(fallbackRefresh, "fallbackRefresh");
    positive(coalescing, "coalescing");
    positive(emptyPoll, "emptyPoll");
    positive(visibilityTimeout, "visibilityTimeout");
    positive(maxBackoff, "maxBackoff");
    if (visibilityTimeout.getSeconds() < 1 || visibilityTimeout.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException(
          "visibilityTimeout is " + visibilityTimeout + "; Azure Storage takes 1 s to 7 days");
    }
  }

  /**
   * The defaults for {@code url}: read an empty queue every 500 ms, coalesce a burst over 250 ms,
   * hold a message up to 2 minutes, poll ARM every 30 s while the queue fails.
   */
  public static ChangeQueueConfig of(String url) {
    return new ChangeQueueConfig(
        parseUrl(url),
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofMinutes(2),
        Duration.ofSeconds(30));
  }

  public ChangeQueueConfig withFallbackRefresh(Duration fallbackRefresh) {
    return new ChangeQueueConfig(
        queueUrl, fallbackRefresh, coalescing, emptyPoll, visibilityTimeout, maxBackoff);
  }

  public ChangeQueueConfig withCoalescing(Duration coalescing) {
    return new ChangeQueueConfig(
        queueUrl, fallbackRefresh, coalescing, emptyPoll, visibilityTimeout, maxBackoff);
  }

  public ChangeQueueConfig withEmptyPoll(Duration emptyPoll) {
    return new ChangeQueueConfig(
        queueUrl, fallbackRefresh, coalescing, emptyPoll, visibilityTimeout, maxBackoff);
  }

  public ChangeQueueConfig withVisibilityTimeout(Duration visibilityTimeout) {
    return new ChangeQueueConfig(
        queueUrl, fallbackRefresh, coalescing, emptyPoll, visibilityTimeout, maxBackoff);
  }

  public ChangeQueueConfig withMaxBackoff(Duration maxBackoff) {
    return new ChangeQueueConfig(
        queueUrl, fallbackRefresh, coalescing, emptyPoll, visibilityTimeout, maxBackoff);
  }

  /** The SAS token in the URL's query, if any: the queue is then read with it, not a credential. */
  public Optional<String> sasToken() {
    return Optional.ofNullable(queueUrl.getRawQuery()).filter(q -> !q.isBlank());
  }

  /** The URL without its query, for logs, Problems and the status API: a SAS is a secret. */
  public String redactedUrl() {
    return queueUrl.getScheme() + "://" + queueUrl.getRawAuthority() + queueUrl.getRawPath();
  }

  /** The URL without its query, as the queue client's endpoint. */
  String endpoint() {
    return redactedUrl();
  }

  private static URI parseUrl(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "setting " + SETTING + " is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
        || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException(
          "setting "
              + SETTING
              + " is '"
              + redact(url)
              + "'; expected https://{account}.queue.core.windows.net/{queue}");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.isEmpty() || path.equals("/") || path.endsWith("/")) {
      throw new IllegalArgumentException(
          "setting "
              + SETTING
              + " is '"
              + redact(url)
              + "'; it names no queue (expected https://{account}.queue.core.windows.net/{queue})");
    }
    return uri;
  }

  private static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?<redacted>";
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " is " + d + "; expected a positive duration");
    }
  }
}
