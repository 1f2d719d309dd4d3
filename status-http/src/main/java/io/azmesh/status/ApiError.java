package io.azmesh.status;

import java.util.Objects;

/**
 * The body of every error response.
 *
 * @param status the HTTP status code, repeated for clients that only keep the body
 * @param message what went wrong, for people
 */
public record ApiError(int status, String message) {
  public ApiError {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status (" + status + ") must be an error, 400..599");
    }
    Objects.requireNonNull(message, "message");
  }
}
