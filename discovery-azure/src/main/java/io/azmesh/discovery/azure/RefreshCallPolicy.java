package io.azmesh.discovery.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.management.exception.ManagementError;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Sits after the retry policy, so it sees every attempt: counts it (ARM's throttling counts each
 * retry too), keeps the lowest {@code x-ms-ratelimit-remaining-*} value, remembers a 429, and stops
 * the refresh at once when a 429's {@code Retry-After} would outlast the refresh's deadline, rather
 * than sleeping into a timeout.
 */
final class RefreshCallPolicy implements HttpPipelinePolicy {
  private static final String RATE_LIMIT_PREFIX = "x-ms-ratelimit-remaining-";
  private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
  private static final HttpHeaderName X_MS_RETRY_AFTER_MS =
      HttpHeaderName.fromString("x-ms-retry-after-ms");
  private static final String QUOTA_REMAINING = "x-ms-user-quota-remaining";
  private static final HttpHeaderName QUOTA_RESETS_AFTER =
      HttpHeaderName.fromString(Throttling.QUOTA_RESETS_AFTER);

  /** The budget name Resource Graph's per-user quota is reported under. */
  static final String GRAPH_QUOTA = "resource-graph-user-quota";

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    Optional<RefreshCalls> calls = RefreshCalls.of(context);
    calls.ifPresent(RefreshCalls::requested);
    return next.process()
        .flatMap(
            response -> {
              Optional<Throttling> beyondDeadline = observe(calls, response);
              if (beyondDeadline.isEmpty()) {
                return Mono.just(response);
              }
              return response
                  .getBodyAsString()
                  .defaultIfEmpty("")
                  .flatMap(
                      body ->
                          Mono.error(
                              new ThrottledException(
                                  withCode(beyondDeadline.get(), body), calls.get().left())));
            });
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    Optional<RefreshCalls> calls = RefreshCalls.of(context);
    calls.ifPresent(RefreshCalls::requested);
    HttpResponse response = next.processSync();
    Optional<Throttling> beyondDeadline = observe(calls, response);
    if (beyondDeadline.isPresent()) {
      String body = response.getBodyAsBinaryData().toString();
      response.close();
      throw new ThrottledException(withCode(beyondDeadline.get(), body), calls.get().left());
    }
    return response;
  }

  /** Records the response; returns the throttling when its wait would outlast the deadline. */
  private static Optional<Throttling> observe(Optional<RefreshCalls> calls, HttpResponse response) {
    if (calls.isEmpty()) {
      return Optional.empty();
    }
    RefreshCalls refresh = calls.get();
    lowestRateLimit(response.getHeaders()).ifPresent(refresh::rateLimitRemaining);
    budgets(response.getHeaders()).forEach(refresh::budget);
    if (response.getStatusCode() != 429) {
      return Optional.empty();
    }
    // Resource Graph's 429 names its wait in its quota header, not in Retry-After.
    Optional<Duration> retryAfter = retryAfter(response.getHeaders());
    Optional<Duration> quotaReset =
        retryAfter.isPresent() ? Optional.empty() : quotaResetsAfter(response.getHeaders());
    Duration wait = retryAfter.or(() -> quotaReset).orElse(Duration.ZERO);
    Throttling throttling =
        new Throttling(
            AzureFailures.describe(response.getRequest()),
            "",
            wait,
            quotaReset.isPresent() ? Throttling.QUOTA_RESETS_AFTER : Throttling.RETRY_AFTER,
            refresh.now().plus(wait),
            RequestIds.of(response.getHeaders()));
    refresh.throttled(throttling);
    return wait.compareTo(refresh.left()) > 0 ? Optional.of(throttling) : Optional.empty();
  }

  /**
   * The lowest of every {@code x-ms-ratelimit-remaining-*} header: plain counts such as {@code
   * -subscription-reads: 11998}, and {@code -resource: Microsoft.Compute/HighCostGet3Min;107,...}.
   */
  static Optional<Long> lowestRateLimit(HttpHeaders headers) {
    long lowest = Long.MAX_VALUE;
    for (var header : headers) {
      if (!header.getName().toLowerCase(java.util.Locale.ROOT).startsWith(RATE_LIMIT_PREFIX)) {
        continue;
      }
      for (String entry : header.getValue().split(",")) {
        String count = entry.substring(entry.lastIndexOf(';') + 1).trim();
        try {
          lowest = Math.min(lowest, Long.parseLong(count));
        } catch (NumberFormatException e) {
          // A header in a shape we do not know says nothing we can use.
        }
      }
    }
    return lowest == Long.MAX_VALUE ? Optional.empty() : Optional.of(Math.max(0, lowest));
  }

  /**
   * Each announced budget by its policy name: {@code x-ms-ratelimit-remaining-subscription-reads:
   * 249} as {@code subscription-reads}, each {@code Microsoft.Compute/HighCostGet3Min;107} entry of
   * {@code x-ms-ratelimit-remaining-resource} by its policy, and Resource Graph's {@code
   * x-ms-user-quota-remaining} as {@value #GRAPH_QUOTA}.
   */
  static Map<String, Long> budgets(HttpHeaders headers) {
    Map<String, Long> budgets = new LinkedHashMap<>();
    for (var header : headers) {
      String name = header.getName().toLowerCase(Locale.ROOT);
      if (name.equals(QUOTA_REMAINING)) {
        count(header.getValue()).ifPresent(n -> budgets.put(GRAPH_QUOTA, n));
      } else if (name.startsWith(RATE_LIMIT_PREFIX)) {
        String plain = name.substring(RATE_LIMIT_PREFIX.length());
        for (String entry : header.getValue().split(",")) {
          int semicolon = entry.lastIndexOf(';');
          String policy = semicolon < 0 ? plain : entry.substring(0, semicolon).trim();
          count(entry.substring(semicolon + 1)).ifPresent(n -> budgets.merge(policy, n, Math::min));
        }
      }
    }
    return budgets;
  }

  private static Optional<Long> count(String value) {
    try {
      return Optional.of(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      // A header in a shape we do not know says nothing we can use.
      return Optional.empty();
    }
  }

  /** Resource Graph's {@code x-ms-user-quota-resets-after}, {@code hh:mm:ss}. */
  static Optional<Duration> quotaResetsAfter(HttpHeaders headers) {
    String value = headers.getValue(QUOTA_RESETS_AFTER);
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.trim().split(":");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Duration.ofHours(Long.parseLong(parts[0]))
              .plusMinutes(Long.parseLong(parts[1]))
              .plusMillis(Math.round(Double.parseDouble(parts[2]) * 1000)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Resource Graph's quota left after this answer, when it announced it. */
  static Optional<Long> quotaRemaining(HttpHeaders headers) {
    String value = headers.getValue(HttpHeaderName.fromString(QUOTA_REMAINING));
    return value == null ? Optional.empty() : count(value);
  }

  /**
   * The wait ARM asks for: {@code retry-after-ms}, {@code x-ms-retry-after-ms}, {@code
   * Retry-After}.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    for (HttpHeaderName name : new HttpHeaderName[] {RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS}) {
      String millis = headers.getValue(name);
      if (millis != null) {
        try {
          return Optional.of(Duration.ofMillis(Long.parseLong(millis.trim())));
        } catch (NumberFormatException e) {
          // fall through to the next header
        }
      }
    }
    String retryAfter = headers.getValue(HttpHeaderName.RETRY_AFTER);
    if (retryAfter == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.trim())));
    } catch (NumberFormatException e) {
      try {
        OffsetDateTime at =
            OffsetDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(OffsetDateTime.now(at.getOffset()), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  /** The throttling with ARM's error code (and Compute's detail code) from the body, if any. */
  private static Throttling withCode(Throttling throttling, String body) {
    return new Throttling(
        throttling.request(),
        errorCode(body),
        throttling.retryAfter(),
        throttling.waitHeader(),
        throttling.until(),
        throttling.ids());
  }

  /** E.g. {@code " TooManyRequests"} or {@code " OperationNotAllowed/TooManyRequests"}. */
  private static String errorCode(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try (JsonReader reader = JsonProviders.createReader(body)) {
      ManagementError error = ManagementError.fromJson(reader);
      if (error == null || error.getCode() == null) {
        return "";
      }
      String detail =
          error.getDetails() == null || error.getDetails().isEmpty()
              ? ""
              : "/" + error.getDetails().get(0).getCode();
      return " " + error.getCode() + detail;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
