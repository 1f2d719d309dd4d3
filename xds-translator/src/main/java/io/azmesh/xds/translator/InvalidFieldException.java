package io.azmesh.xds.translator;

import java.util.List;

/** A config value that is wrong in the context of other values; carries where it is. */
final class InvalidFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Field names and list indexes from the object that threw, e.g. {@code [gateways, edge]}. */
  private final List<String> path;

  InvalidFieldException(List<String> path, String message) {
    super(message);
    this.path = List.copyOf(path);
  }

  List<String> path() {
    return path;
  }
}
