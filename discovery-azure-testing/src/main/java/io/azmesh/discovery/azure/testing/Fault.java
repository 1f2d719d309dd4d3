package io.azmesh.discovery.azure.testing;

import java.util.Map;
import java.util.Objects;

/**
 * A canned bad answer the fake gives instead of the real one.
 *
 * @param status HTTP status
 * @param headers extra response headers, e.g. {@code Retry-After}
 * @param body response body
 * @param delivery whether the answer is sent or the request is held open
 */
public record Fault(int status, Map<String, String> headers, String body, Delivery delivery) {

  public Fault {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(delivery, "delivery");
    headers = Map.copyOf(headers);
  }

  /**
   * ARM's own throttling answer (the subscription's read budget): 429 with {@code Retry-After} in
   * seconds and no reads left.
   */
  public static Fault throttled(int retryAfterSeconds) {
    return new Fault(
        429,
        Map.of(
            "Retry-After",
            Integer.toString(retryAfterSeconds),
            "x-ms-ratelimit-remaining-subscription-reads",
            "0"),
        armError("TooManyRequests", "The request is being throttled."),
        Delivery.RESPOND);
  }

  /**
   * Compute's throttling answer (a resource provider's API group, up to 1,200 s): 429 with {@code
   * Retry-After}, the {@code OperationNotAllowed} body whose detail is {@code TooManyRequests}, and
   * the group with no calls left in {@code x-ms-ratelimit-remaining-resource}.
   */
  public static Fault computeThrottled(int retryAfterSeconds) {
    String detail =
        "{\\\"operationGroup\\\":\\\"HighCostGet3Min\\\",\\\"startTime\\\":"
            + "\\\"2026-01-01T00:00:00+00:00\\\",\\\"endTime\\\":"
            + "\\\"2026-01-01T00:03:00+00:00\\\",\\\"allowedRequestCount\\\":240,"
            + "\\\"measuredRequestCount\\\":251}";
    String body =
        "{\"error\":{\"code\":\"OperationNotAllowed\",\"message\":\"The server rejected the"
            + " request because too many requests have been received for this subscription.\","
            + "\"details\":[{\"code\":\"TooManyRequests\",\"target\":\"HighCostGet3Min\","
            + "\"message\":\""
            + detail
            + "\"}]}}";
    return new Fault(
        429,
        Map.of(
            "Retry-After",
            Integer.toString(retryAfterSeconds),
            "x-ms-ratelimit-remaining-resource",
            "Microsoft.Compute/HighCostGet3Min;0,Microsoft.Compute/HighCostGet30Min;1043"),
        body,
        Delivery.RESPOND);
  }

  /** An ARM error with the given status, e.g. 500 {@code InternalServerError}. */
  public static Fault status(int status, String code, String message) {
    return new Fault(status, Map.of(), armError(code, message), Delivery.RESPOND);
  }

  /** A 200 whose body is not JSON. */
  public static Fault malformedJson() {
    return new Fault(200, Map.of(), "{\"value\": [ {\"id\": ", Delivery.RESPOND);
  }

  /** A request that never gets an answer (until the fake closes). */
  public static Fault hang() {
    return new Fault(200, Map.of(), "", Delivery.HANG);
  }

  /** How a fault reaches the client. */
  public enum Delivery {
    /** Send the status, headers and body. */
    RESPOND,
    /** Hold the request open until the fake closes, to exercise timeouts. */
    HANG
  }

  static String armError(String code, String message) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
  }
}
