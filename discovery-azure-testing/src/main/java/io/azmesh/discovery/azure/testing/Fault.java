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

  /** ARM's throttling answer: 429 with {@code Retry-After} in seconds. */
  public static Fault throttled(int retryAfterSeconds) {
    return new Fault(
        429,
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
        armError("TooManyRequests", "The request is being throttled."),
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
