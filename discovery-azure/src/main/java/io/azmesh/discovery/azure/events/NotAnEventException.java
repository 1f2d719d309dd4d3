package io.azmesh.discovery.azure.events;

/** A queue message that is not an Event Grid or CloudEvents event; the message says why. */
final class NotAnEventException extends Exception {
  private static final long serialVersionUID = 1L;

  NotAnEventException(String message) {
    super(message);
  }
}
