package io.azmesh.xds.bootstrap;

/**
 * The process-wide limits of Envoy's edge-proxy guidance, enforced by the bootstrap's overload
 * manager: a heap budget (Envoy shrinks its heap at 95 % and stops accepting requests at 98 %) and
 * a cap on downstream connections across all listeners.
 *
 * @param maxHeapBytes heap Envoy may use, at least 64 MiB; size it below the VM's memory
 * @param maxDownstreamConnections connections Envoy accepts at once, at least 1; keep it below the
 *     process's file descriptor limit
 */
public record EdgeLimits(long maxHeapBytes, long maxDownstreamConnections) {

  /** Smallest heap budget accepted: below it Envoy cannot even hold its own configuration. */
  public static final long MIN_HEAP_BYTES = 64L * 1024 * 1024;

  /** 1 GiB of heap and 25,000 connections: fits a 2-vCPU, 4 GiB VM with LimitNOFILE=65536. */
  public static final EdgeLimits DEFAULT = new EdgeLimits(1024L * 1024 * 1024, 25_000);

  public EdgeLimits {
    if (maxHeapBytes < MIN_HEAP_BYTES) {
      throw new IllegalArgumentException(
          "maxHeapBytes is " + maxHeapBytes + ", must be at least " + MIN_HEAP_BYTES + " (64 MiB)");
    }
    if (maxDownstreamConnections < 1) {
      throw new IllegalArgumentException(
          "maxDownstreamConnections is " + maxDownstreamConnections + ", must be at least 1");
    }
  }
}
