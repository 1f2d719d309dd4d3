package io.azmesh.xds.translator;

/**
 * A mesh config that cannot be read or is invalid; the message names file, line, field and value.
 */
public class MeshConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MeshConfigException(String message) {
    super(message);
  }

  public MeshConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
