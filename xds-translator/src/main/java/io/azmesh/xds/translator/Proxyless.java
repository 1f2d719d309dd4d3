package io.azmesh.xds.translator;

/** Whether a service is offered to proxyless gRPC clients as an API listener. */
public enum Proxyless {
  ENABLED,
  DISABLED
}
