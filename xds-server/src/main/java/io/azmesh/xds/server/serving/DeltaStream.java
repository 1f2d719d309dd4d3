package io.azmesh.xds.server.serving;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An incremental (delta) stream: every response carries the resources whose version differs from
 * what the client holds, and the names it holds that are gone. Versions are content hashes, so a
 * client that reconnects to another replica with its {@code initial_resource_versions} is sent only
 * what changed.
 */
final class DeltaStream extends XdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

  DeltaStream(
      long id,
      ServingCache cache,
      StreamObserver<DeltaDiscoveryResponse> out,
      Optional<XdsType> onlyType) {
    super(id, cache, out, onlyType);
  }

  @Override
  void handle(DeltaDiscoveryRequest request) {
    Optional<StreamType> type =
        received(
            request.getNode(),
            request.getTypeUrl(),
            request.getResponseNonce(),
            request.hasErrorDetail() ? Optional.of(request.getErrorDetail()) : Optional.empty());
    if (type.isEmpty()) {
      return;
    }
    StreamType state = type.get();
    boolean first = !state.requested;
    if (first) {
      // The legacy wildcard, a first request that names nothing, is for Listeners and Clusters.
      state.wildcard = request.getResourceNamesSubscribeCount() == 0 && state.type.wholeSet();
      state.requested = true;
    }
    state.subscribe(
        request.getResourceNamesSubscribeList(), cache.current().sharedNames(state.type));
    state.unsubscribe(request.getResourceNamesUnsubscribeList());
    if (first) {
      // What a reconnecting client holds: sent again only where it differs.
      state.held.putAll(request.getInitialResourceVersionsMap());
    }
  }

  @Override
  void respond(StreamType state, ServingSnapshot snapshot) {
    Optional<ServedType> published = snapshot.type(state.type);
    if (published.isEmpty()) {
      return;
    }
    ServedType served = published.get();
    List<ServedResource> resources = new ArrayList<>();
    Map<String, String> versions = new HashMap<>();
    Set<String> removed = new TreeSet<>();
    for (String name : state.candidates(served)) {
      ServedResource resource = served.get(name);
      String held = state.held.get(name);
      if (resource == null) {
        if (held != null || (state.pending.contains(name) && state.names.contains(name))) {
          // Gone, or asked for by name and not there: the client need not wait out a timeout.
          removed.add(name);
        }
      } else if (state.subscribes(resource) && !resource.version().equals(held)) {
        resources.add(resource);
        versions.put(resource.name(), resource.version());
      }
    }
    if (resources.isEmpty()
        && !removed.isEmpty()
        && XdsType.CLUSTER_TYPES.contains(state.type)
        && removalMustWait(snapshot.generation())) {
      state.heldBack = true;
      return;
    }
    state.synced(snapshot.generation());
    if (resources.isEmpty() && removed.isEmpty()) {
      state.upToDate(served);
      return;
    }
    resources.sort(Comparator.comparing(ServedResource::name));
    DeltaDiscoveryResponse.Builder response =
        DeltaDiscoveryResponse.newBuilder()
            .setTypeUrl(state.type.typeUrl())
            .setSystemVersionInfo(served.version())
            .addAllRemovedResources(removed);
    for (ServedResource resource : resources) {
      response.addResources(resource.delta());
    }
    String nonce = send(n -> response.setNonce(n).build());
    state.sent(nonce, served.version(), versions, removed);
    state.warming.removeAll(versions.keySet());
    warm(state.type, resources);
    cache.sent(state.type, resources.size() + removed.size());
  }
}
