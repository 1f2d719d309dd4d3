package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.InstanceStatus.ServiceEndpoint;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProblemLogTest {
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
  private static final Problem BAD_PORT =
      Problem.of("web-2", "tag mesh-port", "http", "not a port number");
  private static final Problem ORPHAN_ROUTE =
      Problem.of("gateway edge", "route /db", "db", "names a service with no instances");

  private final Logger logger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ProblemLog.LOGGER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final ProblemLog log = new ProblemLog();

  @BeforeEach
  void capture() {
    // logback.xml keeps this logger at INFO in meshctl; the tests' configuration is quieter.
    logger.setLevel(Level.INFO);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
    logger.setLevel(null);
  }

  @Test
  void observe_logsEachProblemOnceWhenItAppears() {
    StaticMeshState state = state(1, List.of(BAD_PORT));

    log.observe(state);
    log.observe(state);
    log.observe(state(2, List.of(BAD_PORT)));

    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "problem: web-2: tag mesh-port is 'http', not a port number",
            "problem: gateway edge: route /db is 'db', names a service with no instances");
  }

  @Test
  void observe_beforeTheFirstSnapshot_logsNothing() {
    log.observe(new StaticMeshState(Optional.empty(), status(Optional.empty()), List.of()));

    assertThat(appender.list).isEmpty();
  }

  private static StaticMeshState state(long version, List<Problem> problems) {
    Instance web0 = Instance.builder("web-0", "web-0", "10.0.0.4").build();
    Instance web1 = Instance.builder("web-1", "web-1", "10.0.0.5").build();
    Instance web2 = Instance.builder("web-2", "web-2", "10.0.0.6").build();
    ServiceEndpoint endpoint =
        new ServiceEndpoint("web", "web", "10.0.0.4", 8080, 1, InstanceStatus.State.SERVING);
    PublishedSnapshot snapshot =
        new PublishedSnapshot(
            version,
            AT,
            XdsResources.of(List.of(), List.of(), List.of(), List.of()),
            List.of(
                new InstanceStatus(
                    web0, InstanceStatus.State.SERVING, List.of(endpoint), List.of()),
                new InstanceStatus(
                    web1, InstanceStatus.State.DRAINING, List.of(endpoint), List.of()),
                new InstanceStatus(web2, InstanceStatus.State.EXCLUDED, List.of(), List.of())),
            List.of(ORPHAN_ROUTE));
    Discovery discovery =
        new Discovery(
            List.of(web0, web1), problems, AT, new DiscoveryStats("file", 0, Duration.ZERO));
    return new StaticMeshState(Optional.of(snapshot), status(Optional.of(discovery)), List.of());
  }

  private static DiscoveryStatus status(Optional<Discovery> discovery) {
    return new DiscoveryStatus(
        "file",
        discovery,
        Optional.of(AT),
        Optional.of(AT),
        0,
        0,
        Optional.empty(),
        List.of(),
        Optional.empty());
  }
}
