package io.azmesh.xds.server;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stops java-control-plane's cache from answering a NACK with the version just rejected.
 *
 * <p>A NACK carries the version the client last accepted, so the cache sees it as out of date and
 * re-sends the rejected snapshot at once; the client rejects it again, hundreds of times a second.
 * Here a NACK opens a watch as if the client were at the rejected version: it waits until a
 * different version is published, and the client keeps serving its last accepted config.
 */
final class NackHoldingWatcher implements ConfigWatcher {
  private final ConfigWatcher delegate;
  private final SnapshotPublisher publisher;
  private final RejectedVersions rejected;

  NackHoldingWatcher(SnapshotPublisher publisher, RejectedVersions rejected) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.delegate = publisher.cache();
    this.rejected = Objects.requireNonNull(rejected, "rejected");
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    publisher.admit(request.v3Request().getNode());
    var rejectedVersion = rejected.take(request.v3Request());
    if (rejectedVersion.isEmpty()) {
      return delegate.createWatch(
          ads,
          request,
          knownResourceNames,
          responseConsumer,
          hasClusterChanged,
          allowDefaultEmptyEdsUpdate);
    }
    XdsRequest atRejected =
        XdsRequest.create(
            request.v3Request().toBuilder().setVersionInfo(rejectedVersion.get()).build());
    // The rejected response named these resources, so they are not new to the client.
    Set<String> known = new HashSet<>(knownResourceNames);
    known.addAll(request.getResourceNamesList());
    return delegate.createWatch(
        ads, atRejected, known, responseConsumer, false, allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    publisher.admit(request.v3Request().getNode());
    if (request.v3Request().hasErrorDetail()) {
      // requesterVersion is the rejected one: nothing is pending until a new version is published.
      return delegate.createDeltaWatch(
          request,
          requesterVersion,
          resourceVersions,
          Set.of(),
          isWildcard,
          responseConsumer,
          false);
    }
    return delegate.createDeltaWatch(
        request,
        requesterVersion,
        resourceVersions,
        pendingResources,
        isWildcard,
        responseConsumer,
        hasClusterChanged);
  }
}
