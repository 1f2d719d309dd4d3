package io.azmesh.xds.translator;

/** What a service speaks to its instances. */
public enum Protocol {
  /** HTTP/1.1 upstream. */
  HTTP,
  /** HTTP/2 upstream (h2c). */
  HTTP2,
  /** gRPC: HTTP/2 upstream, and the service is offered to proxyless gRPC clients. */
  GRPC,
  /** Plain TCP: a cluster and endpoints only, no HTTP routes. */
  TCP;

  /** Whether the service carries HTTP requests that routes can match. */
  public boolean isHttp() {
    return this != TCP;
  }

  /** Whether the upstream connection uses HTTP/2. */
  public boolean usesHttp2() {
    return this == HTTP2 || this == GRPC;
  }
}
