package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A state-of-the-world ADS stream that behaves like Envoy: subscribes, ACKs, remembers. */
final class SotwAdsSession implements AutoCloseable {

  /** What the client holds: the last ACKed version of each type and its resources by name. */
  record Held(Map<String, String> versions, Map<String, Map<String, Any>> resources) {
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
  private final AdsStreamEvents<DiscoveryResponse> events = new AdsStreamEvents<>();
  private final StreamObserver<DiscoveryRequest> requests;

  private SotwAdsSession(int port, String nodeId) {
    channel = AdsResourceNames.channel(port);
    node = AdsResourceNames.node(nodeId);
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(events);
  }

  static SotwAdsSession open(int port, String nodeId) {
    return new SotwAdsSession(port, nodeId);
  }

  AdsStreamEvents<DiscoveryResponse> events() {
    return events;
  }

  /**
   * Subscribes like Envoy, one type after the other: clusters and listeners as wildcards, the
   * gateway's routes, every EDS cluster's endpoints; ACKs each response.
   */
  Held sync() throws InterruptedException {
    Map<String, String> versions = new LinkedHashMap<>();
    Map<String, Map<String, Any>> resources = new LinkedHashMap<>();
    for (String type : AdsResourceNames.TYPES) {
      List<String> names = AdsResourceNames.namesToAsk(type, resources);
      requests.onNext(request(type, "", "", names));
      DiscoveryResponse response = events.nextResponse();
      assertThat(response.getTypeUrl()).isEqualTo(type);
      Map<String, Any> byName = new TreeMap<>();
      response.getResourcesList().forEach(r -> byName.put(AdsResourceNames.name(r), r));
      versions.put(type, response.getVersionInfo());
      resources.put(type, byName);
      ack(response, names);
    }
    return new Held(versions, resources);
  }

  /**
   * What Envoy sends on a new stream after losing the old one: for each type the version it last
   * ACKed and the names it wants, with no nonce.
   */
  void resume(Held held) {
    for (String type : AdsResourceNames.TYPES) {
      List<String> names = AdsResourceNames.isWildcard(type) ? List.of() : held.names(type);
      requests.onNext(request(type, held.versions().get(type), "", names));
    }
  }

  /** ACKs {@code response}, keeping the subscription it answered. */
  void ack(DiscoveryResponse response, List<String> names) {
    requests.onNext(
        request(response.getTypeUrl(), response.getVersionInfo(), response.getNonce(), names));
  }

  /** Ends the client's side; the server then ends the stream once it has said all it had. */
  void halfClose() {
    requests.onCompleted();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  private DiscoveryRequest request(String type, String version, String nonce, List<String> names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type)
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .addAllResourceNames(names)
        .build();
  }
}
