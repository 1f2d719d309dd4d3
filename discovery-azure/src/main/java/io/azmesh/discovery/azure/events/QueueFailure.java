package io.azmesh.discovery.azure.events;

import com.azure.storage.queue.models.QueueStorageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Why a read of the change queue failed, in words an operator acts on.
 *
 * @param kind the class of failure, also the first word of the description
 * @param detail what Azure Storage or the network said
 */
record QueueFailure(Kind kind, String detail) {

  /** Classes of failure, each with its own remedy. */
  enum Kind {
    FORBIDDEN("forbidden"),
    NOT_FOUND("not found"),
    THROTTLED("throttled"),
    UNREACHABLE("unreachable"),
    FAILED("failed");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  QueueFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@code forbidden: HTTP 403 AuthorizationPermissionMismatch; ...}. */
  String describe() {
    return kind.label + ": " + detail;
  }

  static QueueFailure of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof QueueStorageException e) {
        return ofStatus(e.getStatusCode(), String.valueOf(e.getErrorCode()));
      }
      if (t instanceof com.azure.core.exception.HttpResponseException e
          && e.getResponse() != null) {
        return ofStatus(e.getResponse().getStatusCode(), e.getClass().getSimpleName());
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof TimeoutException
          || t instanceof IOException) {
        return new QueueFailure(
            Kind.UNREACHABLE, t.getClass().getSimpleName() + ": " + t.getMessage());
      }
    }
    return new QueueFailure(Kind.FAILED, String.valueOf(error));
  }

  private static QueueFailure ofStatus(int status, String code) {
    String http = "HTTP " + status + " " + code;
    return switch (status) {
      case 401, 403 ->
          new QueueFailure(
              Kind.FORBIDDEN,
              http
                  + "; the identity needs 'Storage Queue Data Message Processor' on the queue, or"
                  + " the SAS token is expired or lacks read and process permissions");
      case 404 ->
          new QueueFailure(Kind.NOT_FOUND, http + "; the queue was deleted or never created");
      case 429, 503 -> new QueueFailure(Kind.THROTTLED, http + "; Azure Storage asks to slow down");
      default -> new QueueFailure(Kind.FAILED, http);
    };
  }
}
