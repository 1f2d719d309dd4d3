package io.azmesh.discovery.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import java.util.Objects;

/**
 * ARM's ids of one response, which Azure support asks for: {@code x-ms-request-id} and {@code
 * x-ms-correlation-request-id}. Neither is a secret.
 */
record RequestIds(String requestId, String correlationRequestId) {
  private static final HttpHeaderName REQUEST_ID = HttpHeaderName.fromString("x-ms-request-id");
  private static final HttpHeaderName CORRELATION_ID =
      HttpHeaderName.fromString("x-ms-correlation-request-id");

  RequestIds {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(correlationRequestId, "correlationRequestId");
  }

  static RequestIds of(HttpHeaders headers) {
    return new RequestIds(
        orNone(headers.getValue(REQUEST_ID)), orNone(headers.getValue(CORRELATION_ID)));
  }

  private static String orNone(String value) {
    return value == null || value.isBlank() ? "none" : value;
  }

  /** For the end of a failure message. */
  String describe() {
    return "x-ms-request-id " + requestId + ", x-ms-correlation-request-id " + correlationRequestId;
  }
}
