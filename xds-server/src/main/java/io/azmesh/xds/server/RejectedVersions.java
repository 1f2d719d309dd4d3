package io.azmesh.xds.server;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The version a state-of-the-world NACK rejected, handed from the request callback (which knows
 * what was sent on the stream) to the watch that the same request opens right after it.
 *
 * <p>A NACK carries the version the client last accepted, not the one it rejected; keyed by the
 * request object itself, because nonces are only unique within a stream.
 */
final class RejectedVersions {
  private final Map<DiscoveryRequest, String> pending = new IdentityHashMap<>();

  synchronized void put(DiscoveryRequest nack, String rejectedVersion) {
    pending.put(nack, rejectedVersion);
  }

  synchronized Optional<String> take(DiscoveryRequest request) {
    return Optional.ofNullable(pending.remove(request));
  }
}
