package io.azmesh.xds.server;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stops java-control-plane's cache from answering a NACK with the version just rejected.
 *
 * <p>A NACK carries the version the client last accepted, so the cache sees it as out of date and
 * re-sends the rejected snapshot at once; the client rejects it again, hundreds of times a second.
 * Here a NACK opens a watch as if the client were at the rejected version: it waits until a
 * different version is published, and the client keeps serving its last accepted config. For delta
 * streams the resources just rejected count as known at their rejected versions, so a later publish
 * sends the ones that changed since.
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
    Optional<Snapshot> snapshot = publisher.snapshotFor(request.v3Request().getNode());
    boolean rejectedIsCurrent =
        request.hasErrorDetail()
            && snapshot
                .filter(s -> s.version(request.getTypeUrl()).equals(requesterVersion))
                .isPresent();
    if (rejectedIsCurrent) {
      // requesterVersion is the rejected one and still current: count what was just sent as
      // known, so only resources that change after this are sent.
      Map<String, String> known = new HashMap<>(resourceVersions);
      Set<String> pending = new HashSet<>(pendingResources);
      snapshot
          .get()
          .versionedResources(request.getResourceType())
          .forEach(
              (name, resource) -> {
                if (pending.remove(name)) {
                  known.put(name, resource.version());
                }
              });
      return delegate.createDeltaWatch(
          request, requesterVersion, known, pending, isWildcard, responseConsumer, false);
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
