package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void quiet() {
    LogSetup.apply(Verbosity.QUIET);
  }

  @Test
  void verbose_turnsAzmeshUpToDebug() {
    MeshctlRun.of("version", "--verbose");

    assertThat(context.getLogger("io.azmesh").getLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void quiet_leavesAzmeshToTheConfiguration() {
    MeshctlRun.of("version");

    assertThat(context.getLogger("io.azmesh").getLevel()).isNull();
  }

  @Test
  void javaUtilLogging_reachesLogback() {
    LogSetup.bridgeJavaUtilLogging();
    Logger grpc = context.getLogger("io.grpc.test");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    grpc.addAppender(appender);
    try {
      java.util.logging.Logger.getLogger("io.grpc.test").warning("from JUL");

      assertThat(appender.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("from JUL");
    } finally {
      grpc.detachAppender(appender);
    }
  }
}
