package io.azmesh.discovery;

import java.util.Objects;
import java.util.Optional;

/**
 * Something wrong with one input that was left out, reported instead of failing the whole
 * discovery.
 *
 * @param subject what the problem is about: an instance name, or a file and line
 * @param field the field or tag, e.g. {@code tag mesh-port} or {@code private_ip}
 * @param value the offending value, absent when the value is missing
 * @param reason why the value is wrong, e.g. {@code not a port number}
 */
public record Problem(String subject, String field, Optional<String> value, String reason) {

  public Problem {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reason, "reason");
  }

  /** A problem with a value that is present but wrong. */
  public static Problem of(String subject, String field, String value, String reason) {
    return new Problem(subject, field, Optional.of(value), reason);
  }

  /** A problem with a value that is missing. */
  public static Problem missing(String subject, String field, String reason) {
    return new Problem(subject, field, Optional.empty(), reason);
  }

  /**
   * One line for people and logs: {@code vm-3: tag mesh-port is 'http', not a port number} or
   * {@code vm-4: private_ip is missing, a VM needs a private IP}.
   */
  public String message() {
    return subject
        + ": "
        + field
        + value.map(v -> " is '" + v + "', ").orElse(" is missing, ")
        + reason;
  }

  @Override
  public String toString() {
    return message();
  }
}
