package io.azmesh.discovery;

/**
 * A discovery that failed as a whole (Azure unreachable, throttled past the retries, a broken
 * inventory file). Callers keep their last good {@link Discovery}.
 */
public class DiscoveryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A short, stable cause for metrics, such as {@code throttled}, {@code parse}, {@code auth}. */
  private final String cause;

  public DiscoveryException(String cause, String message) {
    super(message);
    this.cause = cause;
  }

  public DiscoveryException(String cause, String message, Throwable throwable) {
    super(message, throwable);
    this.cause = cause;
  }

  /** The stable cause label, e.g. {@code throttled}. */
  public String causeLabel() {
    return cause;
  }
}
