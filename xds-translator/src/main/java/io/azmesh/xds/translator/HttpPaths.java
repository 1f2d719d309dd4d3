package io.azmesh.xds.translator;

import java.util.Optional;

/** The rule for URL paths in the config and in tags: health-check paths and route prefixes. */
final class HttpPaths {
  private HttpPaths() {}

  /** Why {@code value} is not a usable absolute path, or empty when it is. */
  static Optional<String> problem(String value) {
    if (!value.startsWith("/")) {
      return Optional.of("not a path starting with /");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return Optional.of("not a path: it contains whitespace or a non-ASCII character");
      }
    }
    return Optional.empty();
  }
}
