package io.azmesh.discovery.azure.testing;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request the fake received.
 *
 * @param method HTTP method
 * @param path decoded path
 * @param query raw query string, empty when none
 * @param headers request headers, names lower case
 * @param receivedAt when the fake received it
 * @param requestId the {@code x-ms-request-id} the fake answered with
 * @param correlationRequestId the {@code x-ms-correlation-request-id} the fake answered with
 */
public record RecordedRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    Instant receivedAt,
    String requestId,
    String correlationRequestId) {

  public RecordedRequest {
    headers = Map.copyOf(headers);
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(correlationRequestId, "correlationRequestId");
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether the request was to Azure Resource Manager (not the identity endpoint). */
  public boolean isArm() {
    return path.startsWith("/subscriptions/") || isResourceGraph();
  }

  /** Whether the request was a Resource Graph query. */
  public boolean isResourceGraph() {
    return path.equalsIgnoreCase("/providers/Microsoft.ResourceGraph/resources");
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query);
  }
}
