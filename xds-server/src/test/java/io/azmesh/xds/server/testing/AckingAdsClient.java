package io.azmesh.xds.server.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.azmesh.xds.server.serving.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal state-of-the-world ADS client, like a proxy: asks for all clusters, then for their
 * endpoints, decodes every response and ACKs it at once, noting when it ACKed each endpoints
 * version.
 */
public final class AckingAdsClient implements StreamObserver<DiscoveryResponse> {
  private final Node node;
  private final Map<String, Long> endpointsAckedAt = new ConcurrentHashMap<>();
  private StreamObserver<DiscoveryRequest> requests;
  private List<String> clusters = List.of();

  public AckingAdsClient(ManagedChannel channel, String nodeId) {
    this.node = Node.newBuilder().setId(nodeId).setCluster("bench").build();
    this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
    synchronized (this) {
      requests.onNext(request(XdsType.CLUSTERS.typeUrl(), "", "", List.of()));
    }
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

  @Override
  public synchronized void onNext(DiscoveryResponse response) {
    try {
      if (response.getTypeUrl().equals(XdsType.CLUSTERS.typeUrl())) {
        List<String> names = new ArrayList<>();
        for (Any any : response.getResourcesList()) {
          names.add(any.unpack(Cluster.class).getName());
        }
        requests.onNext(
            request(
                XdsType.CLUSTERS.typeUrl(),
                response.getVersionInfo(),
                response.getNonce(),
                List.of()));
        if (!names.equals(clusters)) {
          clusters = names;
          requests.onNext(request(XdsType.ENDPOINTS.typeUrl(), "", "", names));
        }
      } else if (response.getTypeUrl().equals(XdsType.ENDPOINTS.typeUrl())) {
        for (Any any : response.getResourcesList()) {
          any.unpack(ClusterLoadAssignment.class);
        }
        requests.onNext(
            request(
                XdsType.ENDPOINTS.typeUrl(),
                response.getVersionInfo(),
                response.getNonce(),
                clusters));
        endpointsAckedAt.putIfAbsent(response.getVersionInfo(), System.nanoTime());
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable response " + response.getTypeUrl(), e);
    }
  }

  /** When this client ACKed the endpoints version, in {@link System#nanoTime()}, if it did. */
  public Long endpointsAckedAt(String version) {
    return endpointsAckedAt.get(version);
  }

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}

  public synchronized void close() {
    requests.onCompleted();
  }
}
