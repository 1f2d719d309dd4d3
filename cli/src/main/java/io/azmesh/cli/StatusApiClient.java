package io.azmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Reads JSON from a running {@code meshctl serve}'s status API. */
final class StatusApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http;

  StatusApiClient(URI base, Optional<String> token) {
    this.base = Objects.requireNonNull(base, "base");
    this.token = Objects.requireNonNull(token, "token");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** GETs {@code path} (e.g. {@code /api/nodes}); fails with one line naming the URL. */
  JsonNode get(String path) throws StatusApiException, InterruptedException {
    URI uri = base.resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<String> response;
    try {
      response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new StatusApiException("cannot connect to the status API at " + uri, e);
    } catch (HttpTimeoutException e) {
      throw new StatusApiException("the status API at " + uri + " did not answer in " + TIMEOUT, e);
    } catch (IOException e) {
      throw new StatusApiException("cannot read " + uri + ": " + e.getMessage(), e);
    }
    if (response.statusCode() != 200) {
      throw new StatusApiException(
          uri + " answered " + response.statusCode() + errorMessage(response.body()).orElse(""),
          null);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new StatusApiException(uri + " answered with something that is not JSON", e);
    }
  }

  /** The status API's JSON error message, as {@code : <message>}. */
  private static Optional<String> errorMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("message");
      return message.isTextual() ? Optional.of(": " + message.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The status API could not be read; the message is the one line meshctl prints. */
  static final class StatusApiException extends Exception {
    private static final long serialVersionUID = 1L;

    StatusApiException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
