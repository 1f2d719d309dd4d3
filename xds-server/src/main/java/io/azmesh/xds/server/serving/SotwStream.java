package io.azmesh.xds.server.serving;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state-of-the-world stream. Listener and Cluster responses carry the whole subscribed set;
 * ClusterLoadAssignment and RouteConfiguration responses carry only the resources the client does
 * not hold at their current version, which the protocol allows and which keeps an endpoint change
 * one resource wide.
 */
final class SotwStream extends XdsStream<DiscoveryRequest, DiscoveryResponse> {

  SotwStream(
      long id,
      ServingCache cache,
      StreamObserver<DiscoveryResponse> out,
      Optional<XdsType> onlyType) {
    super(id, cache, out, onlyType);
  }

  @Override
  void handle(DiscoveryRequest request) {
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
    ServingSnapshot snapshot = cache.current();
    state.subscribeExactly(request.getResourceNamesList(), snapshot.sharedNames(state.type));
    state.requested = true;
    if (first && request.getResponseNonce().isEmpty() && !request.getVersionInfo().isEmpty()) {
      resume(state, request.getVersionInfo(), snapshot);
    }
  }

  /**
   * A client that reconnects (to this replica or another) names the version it holds; when that is
   * the version served, it holds every resource it asks for at its current version, and nothing is
   * sent again.
   */
  private static void resume(StreamType state, String version, ServingSnapshot snapshot) {
    Optional<ServedType> served = snapshot.type(state.type);
    if (served.isEmpty() || !served.get().version().equals(version)) {
      return;
    }
    if (state.type.wholeSet() && state.wildcard) {
      state.heldSetVersion = version;
    } else {
      for (String name : state.names) {
        ServedResource resource = served.get().get(name);
        if (resource != null) {
          state.held.put(resource.name(), resource.version());
        }
      }
    }
    state.ackedVersion = version;
    state.synced(snapshot.generation());
  }

  @Override
  void respond(StreamType state, ServingSnapshot snapshot) {
    Optional<ServedType> published = snapshot.type(state.type);
    if (published.isEmpty()) {
      return;
    }
    ServedType served = published.get();
    List<ServedResource> resources = new ArrayList<>();
    boolean due;
    if (state.type.wholeSet() && state.wildcard) {
      due = !served.version().equals(state.heldSetVersion);
      if (due) {
        resources.addAll(served.resources().values());
        state.heldSetVersion = served.version();
      }
    } else if (state.type.wholeSet()) {
      Map<String, String> wanted = new HashMap<>();
      for (String name : state.names) {
        ServedResource resource = served.get(name);
        if (resource != null) {
          resources.add(resource);
          wanted.put(name, resource.version());
        }
      }
      due = !wanted.equals(state.held);
      if (due) {
        state.held.clear();
        state.held.putAll(wanted);
      }
    } else {
      for (String name : state.candidates(served)) {
        ServedResource resource = served.get(name);
        if (resource == null) {
          // Gone: a state-of-the-world client keeps it until it unsubscribes; sent again if back.
          state.held.remove(name);
        } else if (state.subscribes(name) && !resource.version().equals(state.held.get(name))) {
          resources.add(resource);
          state.held.put(resource.name(), resource.version());
        }
      }
      due = !resources.isEmpty();
    }
    state.synced(snapshot.generation());
    if (!due) {
      return;
    }
    resources.sort(java.util.Comparator.comparing(ServedResource::name));
    DiscoveryResponse.Builder response =
        DiscoveryResponse.newBuilder()
            .setTypeUrl(state.type.typeUrl())
            .setVersionInfo(served.version());
    for (ServedResource resource : resources) {
      response.addResources(resource.any());
    }
    send(state, served.version(), nonce -> response.setNonce(nonce).build());
    cache.sent(state.type, resources.size());
  }
}
