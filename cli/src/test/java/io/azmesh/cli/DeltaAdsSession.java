package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A delta ADS stream that behaves like Envoy: subscribes, ACKs, remembers every version. */
final class DeltaAdsSession implements AutoCloseable {

  /** What the client holds: per type, each resource's version and the resource itself. */
  record Held(Map<String, Map<String, String>> versions, Map<String, Map<String, Any>> resources) {
    Held {
      versions = Map.copyOf(versions);
      resources = Map.copyOf(resources);
    }

    List<String> names(String typeUrl) {
      return List.copyOf(resources.getOrDefault(typeUrl, Map.of()).keySet());
    }
  }

  private final ManagedChannel channel;
  private final Node node;
  private final AdsStreamEvents<DeltaDiscoveryResponse> events = new AdsStreamEvents<>();
  private final StreamObserver<DeltaDiscoveryRequest> requests;

  private DeltaAdsSession(int port, String nodeId) {
    channel = AdsResourceNames.channel(port);
    node = AdsResourceNames.node(nodeId);
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(events);
  }

  static DeltaAdsSession open(int port, String nodeId) {
    return new DeltaAdsSession(port, nodeId);
  }

  AdsStreamEvents<DeltaDiscoveryResponse> events() {
    return events;
  }

  /**
   * Subscribes like Envoy, one type after the other: clusters and listeners as wildcards, the
   * gateway's routes, every EDS cluster's endpoints; ACKs each response.
   */
  Held sync() throws InterruptedException {
    Map<String, Map<String, String>> versions = new LinkedHashMap<>();
    Map<String, Map<String, Any>> resources = new LinkedHashMap<>();
    for (String type : AdsResourceNames.TYPES) {
      requests.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .addAllResourceNamesSubscribe(AdsResourceNames.namesToAsk(type, resources))
              .build());
      DeltaDiscoveryResponse response = events.nextResponse();
      assertThat(response.getTypeUrl()).isEqualTo(type);
      Map<String, String> byNameVersion = new TreeMap<>();
      Map<String, Any> byName = new TreeMap<>();
      for (Resource resource : response.getResourcesList()) {
        byNameVersion.put(resource.getName(), resource.getVersion());
        byName.put(resource.getName(), resource.getResource());
      }
      versions.put(type, byNameVersion);
      resources.put(type, byName);
      ack(response);
    }
    return new Held(versions, resources);
  }

  /**
   * What Envoy sends on a new stream after losing the old one: for each type the names it wants
   * and, in initial_resource_versions, the version of every resource it holds.
   */
  void resume(Held held) {
    for (String type : AdsResourceNames.TYPES) {
      List<String> names = AdsResourceNames.isWildcard(type) ? List.of() : held.names(type);
      requests.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .addAllResourceNamesSubscribe(names)
              .putAllInitialResourceVersions(held.versions().get(type))
              .build());
    }
  }

  void ack(DeltaDiscoveryResponse response) {
    requests.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(response.getTypeUrl())
            .setResponseNonce(response.getNonce())
            .build());
  }

  /** Ends the client's side; the server then ends the stream once it has said all it had. */
  void halfClose() {
    requests.onCompleted();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
