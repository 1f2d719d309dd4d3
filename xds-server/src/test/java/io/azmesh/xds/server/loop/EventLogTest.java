package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.xds.server.serving.ProxyEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventLogTest {
  private final EventLog log =
      new EventLog(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 10);

  @Test
  void record_proxyEventsBecomeTheirProxyKinds() {
    log.record(new ProxyEvent(ProxyEvent.Kind.CONNECTED, "edge-1", "stream 1 opened by envoy"));
    log.record(new ProxyEvent(ProxyEvent.Kind.NACKED, "edge-1", "clusters version v rejected: x"));
    log.record(new ProxyEvent(ProxyEvent.Kind.STALE, "edge-1", "stream 1 has not taken"));
    log.record(new ProxyEvent(ProxyEvent.Kind.DISCONNECTED, "edge-1", "stream 1 closed"));

    assertThat(log.since(0))
        .extracting(MeshEvent::kind, MeshEvent::subject, MeshEvent::service, MeshEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                MeshEvent.Kind.PROXY_CONNECTED,
                "edge-1",
                Optional.empty(),
                "stream 1 opened by envoy"),
            org.assertj.core.groups.Tuple.tuple(
                MeshEvent.Kind.PROXY_NACKED,
                "edge-1",
                Optional.empty(),
                "clusters version v rejected: x"),
            org.assertj.core.groups.Tuple.tuple(
                MeshEvent.Kind.PROXY_STALE, "edge-1", Optional.empty(), "stream 1 has not taken"),
            org.assertj.core.groups.Tuple.tuple(
                MeshEvent.Kind.PROXY_DISCONNECTED, "edge-1", Optional.empty(), "stream 1 closed"));
  }
}
