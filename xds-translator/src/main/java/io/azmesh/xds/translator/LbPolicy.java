package io.azmesh.xds.translator;

/** How a cluster spreads requests over its endpoints. */
public enum LbPolicy {
  ROUND_ROBIN,
  LEAST_REQUEST,
  RING_HASH,
  /** Not supported by grpc-java's xDS client; needs {@code proxyless: disabled}. */
  RANDOM
}
