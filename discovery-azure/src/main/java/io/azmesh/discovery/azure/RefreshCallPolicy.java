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
    if (response.getStatusCode() != 429) {
      return Optional.empty();
    }
    Duration retryAfter = retryAfter(response.getHeaders()).orElse(Duration.ZERO);
    Throttling throttling =
        new Throttling(
            AzureFailures.describe(response.getRequest()),
            "",
            retryAfter,
            refresh.now().plus(retryAfter),
            RequestIds.of(response.getHeaders()));
    refresh.throttled(throttling);
    return retryAfter.compareTo(refresh.left()) > 0 ? Optional.of(throttling) : Optional.empty();
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
