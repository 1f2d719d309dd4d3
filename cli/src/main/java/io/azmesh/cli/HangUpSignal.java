package io.azmesh.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP, which asks a daemon to re-read its configuration, as a callback.
 *
 * <p>Java has no supported API for signals; {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}, exported and usable on JDK 17 without any flag) is what servers on the JVM use.
 * Handling SIGHUP replaces the JVM's own handler, which would run the shutdown hooks and exit.
 * Under {@code -Xrs} the JVM refuses, and in a process started with SIGHUP ignored ({@code nohup})
 * it keeps it ignored: then serve says once that SIGHUP does not reload.
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
      SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> action.run());
      if (previous == SignalHandler.SIG_IGN) {
        // A process started with SIGHUP ignored (nohup) keeps it ignored: the JVM installs no
        // handler, and says so only by returning SIG_IGN.
        log.warn(
            "SIGHUP is ignored by this process (started with nohup?); reload by editing the config"
                + " file");
        return false;
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.warn(
          "SIGHUP cannot be handled in this JVM ({}); reload by editing the config file",
          e.getMessage());
      return false;
    }
  }
}
