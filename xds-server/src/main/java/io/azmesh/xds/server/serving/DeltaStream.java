package io.azmesh.xds.server.serving;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    if (!state.requested) {
      state.held.putAll(request.getInitialResourceVersionsMap());
      // A first request that names nothing is the legacy wildcard subscription.
      state.wildcard = request.getResourceNamesSubscribeCount() == 0;
      state.requested = true;
    }
    state.subscribe(
        request.getResourceNamesSubscribeList(), cache.current().sharedNames(state.type));
    state.unsubscribe(request.getResourceNamesUnsubscribeList());
  }

  @Override
  void respond(StreamType state, ServingSnapshot snapshot) {
    Optional<ServedType> published = snapshot.type(state.type);
    if (published.isEmpty()) {
      return;
    }
    ServedType served = published.get();
    List<ServedResource> resources = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String name : state.candidates(served)) {
      ServedResource resource = served.get(name);
      String held = state.held.get(name);
      if (resource == null) {
        if (held != null) {
          removed.add(name);
          state.held.remove(name);
        }
      } else if (state.subscribes(name) && !resource.version().equals(held)) {
        resources.add(resource);
        state.held.put(resource.name(), resource.version());
      }
    }
    state.synced(snapshot.generation());
    if (resources.isEmpty() && removed.isEmpty()) {
      return;
    }
    resources.sort(java.util.Comparator.comparing(ServedResource::name));
    removed.sort(null);
    DeltaDiscoveryResponse.Builder response =
        DeltaDiscoveryResponse.newBuilder()
            .setTypeUrl(state.type.typeUrl())
            .setSystemVersionInfo(served.version())
            .addAllRemovedResources(removed);
    for (ServedResource resource : resources) {
      response.addResources(resource.delta());
    }
    send(state, served.version(), nonce -> response.setNonce(nonce).build());
    cache.sent(state.type, resources.size() + removed.size());
  }
}
