package io.azmesh.xds.server.serving;

import java.util.Objects;

/**
 * Something a proxy's stream did that belongs in the control plane's history: it connected,
 * disconnected, rejected a response, or stopped taking what is published.
 *
 * @param kind what happened
 * @param nodeId the node id the proxy sent
 * @param detail what an operator reads: the stream, the user agent, the rejected version and error
 */
public record ProxyEvent(Kind kind, String nodeId, String detail) {

  public ProxyEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(detail, "detail");
  }

  /** What a proxy's stream did. */
  public enum Kind {
    CONNECTED,
    DISCONNECTED,
    NACKED,
    STALE
  }
}
