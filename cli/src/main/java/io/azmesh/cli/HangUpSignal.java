package io.azmesh.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP, which asks a daemon to re-read its configuration, as a callback.
 *
 * <p>Java has no supported API for signals; {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}, exported and usable on JDK 17 without any flag) is what servers on the JVM use.
 * Handling SIGHUP replaces the JVM's own handler, which would run the shutdown hooks and exit.
 * Under {@code -Xrs} the JVM refuses: then SIGHUP keeps its default and serve says so once.
 */
final class HangUpSignal {
  private static final Logger log = LoggerFactory.getLogger(ProblemLog.LOGGER);

  private HangUpSignal() {}

  /**
   * Runs {@code action} on each SIGHUP, on the JVM's signal thread: it should only hand the work to
   * a thread of its own. Returns whether the handler is installed.
   */
  static boolean onHangUp(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.warn(
          "SIGHUP cannot be handled in this JVM ({}); reload by editing the config file",
          e.getMessage());
      return false;
    }
  }
}
