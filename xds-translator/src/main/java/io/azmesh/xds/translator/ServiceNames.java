package io.azmesh.xds.translator;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for service names. A service name becomes a cluster, a listener and the authority of
 * {@code xds:///<service>} URIs, so it is a lower-case DNS-style name.
 */
final class ServiceNames {
  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$");

  /** What a valid name looks like, for messages. */
  static final String RULE =
      "not a service name (lower-case letters, digits, '.', '_' and '-', at most 63, starting and"
          + " ending with a letter or digit)";

  private ServiceNames() {}

  /** Why {@code name} is not a valid service name, or empty when it is. */
  static Optional<String> problem(String name) {
    return NAME.matcher(name).matches() ? Optional.empty() : Optional.of(RULE);
  }

  static void require(String name, String field) {
    problem(name)
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException(field + " is '" + name + "', " + reason);
            });
  }
}
