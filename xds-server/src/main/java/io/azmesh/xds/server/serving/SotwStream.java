package io.azmesh.xds.server.serving;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
   * A client that reconnects (to this replica or another) names the version it holds. The protocol
   * lets a server skip resending only what it knows the client holds: a wildcard subscription to a
   * whole-set type at the version served holds all of it. Named subscriptions are sent again,
   * because the first request may name a resource the client never received (grpc-java asks for a
   * channel opened while its stream was down in that same request).
   */
  private static void resume(StreamType state, String version, ServingSnapshot snapshot) {
    Optional<ServedType> served = snapshot.type(state.type);
    if (served.isEmpty()
        || !served.get().version().equals(version)
        || !(state.type.wholeSet() && state.wildcard)) {
      return;
    }
    state.heldSetVersion = served.get().wildcardVersion();
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
    long generation = snapshot.generation();
    if (state.type.wholeSet() && state.wildcard) {
      respondWildcardSet(state, served, generation);
    } else if (state.type.wholeSet()) {
      respondNamedSet(state, served, generation);
    } else {
      respondChanged(state, served, generation);
    }
  }

  /** Envoy's CDS and LDS: the whole wildcard set, whenever its version is not the one held. */
  private void respondWildcardSet(StreamType state, ServedType served, long generation) {
    if (served.wildcardVersion().equals(state.heldSetVersion) || !state.mayResendWholeSet(served)) {
      state.synced(generation);
      return;
    }
    Optional<Set<String>> changed = state.changedSinceSynced(served);
    List<ServedResource> updated = new ArrayList<>();
    if (changed.isPresent()) {
      for (String name : changed.get()) {
        ServedResource resource = served.get(name);
        if (resource != null && resource.inWildcard()) {
          updated.add(resource);
        }
      }
      if (updated.isEmpty() && mustHoldBack(state, generation)) {
        return;
      }
    } else {
      updated.addAll(served.wildcard());
    }
    state.synced(generation);
    String nonce = send(served, served.wildcard(), state.type);
    state.sentWildcardSet(nonce, served.version(), served.wildcardVersion());
    warm(state.type, updated);
  }

  /** A named Cluster or Listener subscription: every subscribed resource that exists. */
  private void respondNamedSet(StreamType state, ServedType served, long generation) {
    Map<String, String> wanted = new HashMap<>();
    List<ServedResource> resources = new ArrayList<>();
    List<ServedResource> updated = new ArrayList<>();
    for (String name : state.names) {
      ServedResource resource = served.get(name);
      if (resource != null) {
        resources.add(resource);
        wanted.put(name, resource.version());
        if (!resource.version().equals(state.held.get(name))) {
          updated.add(resource);
        }
      }
    }
    if (wanted.equals(state.held) || !state.mayResendWholeSet(served)) {
      state.upToDate(served);
      state.synced(generation);
      return;
    }
    if (updated.isEmpty() && mustHoldBack(state, generation)) {
      return;
    }
    state.synced(generation);
    resources.sort(Comparator.comparing(ServedResource::name));
    String nonce = send(served, resources, state.type);
    state.sentWholeSet(nonce, served.version(), wanted);
    warm(state.type, updated);
  }

  /** Assignments and routes: only what the client does not hold at its current version. */
  private void respondChanged(StreamType state, ServedType served, long generation) {
    List<ServedResource> resources = new ArrayList<>();
    Map<String, String> versions = new HashMap<>();
    for (String name : state.candidates(served)) {
      ServedResource resource = served.get(name);
      if (resource == null) {
        // Gone: a state-of-the-world client keeps it until it unsubscribes; sent again if back.
        state.held.remove(name);
      } else if (state.subscribes(resource) && !resource.version().equals(state.held.get(name))) {
        resources.add(resource);
        versions.put(resource.name(), resource.version());
      }
    }
    state.synced(generation);
    if (resources.isEmpty()) {
      state.upToDate(served);
      return;
    }
    resources.sort(Comparator.comparing(ServedResource::name));
    String nonce = send(served, resources, state.type);
    state.sent(nonce, served.version(), versions, Set.of());
    state.warming.removeAll(versions.keySet());
  }

  /** A response that would only remove clusters waits for what may still refer to them. */
  private boolean mustHoldBack(StreamType state, long generation) {
    if (XdsType.CLUSTER_TYPES.contains(state.type) && removalMustWait(generation)) {
      state.heldBack = true;
      return true;
    }
    return false;
  }

  private String send(ServedType served, List<ServedResource> resources, XdsType type) {
    DiscoveryResponse.Builder response =
        DiscoveryResponse.newBuilder().setTypeUrl(type.typeUrl()).setVersionInfo(served.version());
    for (ServedResource resource : resources) {
      response.addResources(resource.any());
    }
    String nonce = send(n -> response.setNonce(n).build());
    cache.sent(type, resources.size());
    return nonce;
  }
}
