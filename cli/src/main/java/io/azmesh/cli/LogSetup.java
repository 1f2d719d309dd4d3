package io.azmesh.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Points every logging API at logback and sets azmesh's level from the verbosity. */
final class LogSetup {
  private static final String AZMESH = "io.azmesh";

  private LogSetup() {}

  /** Routes java.util.logging (gRPC, parts of the JDK) into SLF4J, once per process. */
  static synchronized void bridgeJavaUtilLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** DEBUG for io.azmesh when verbose; otherwise what logback.xml says (WARN, serve at INFO). */
  static void apply(Verbosity verbosity) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.getLogger(AZMESH).setLevel(verbosity == Verbosity.VERBOSE ? Level.DEBUG : null);
    }
  }
}
