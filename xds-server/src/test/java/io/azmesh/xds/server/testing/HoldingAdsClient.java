package io.azmesh.xds.server.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.azmesh.xds.server.serving.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * An ADS client that behaves like Envoy (CDS wildcard, EDS for every cluster, every response ACKed)
 * and holds what it was sent, state of the world or delta, so a test can compare it with what is
 * published. It reconnects when its stream ends, as a proxy does when its control plane restarts,
 * resuming with what it holds.
 */
public final class HoldingAdsClient implements AutoCloseable {
  public enum Mode {
    SOTW,
    DELTA
  }

  private final Mode mode;
  private final int port;
  private final Node node;
  private final Map<String, ClusterLoadAssignment> endpoints = new TreeMap<>();
  private final Map<String, String> deltaVersions = new TreeMap<>();
  private Set<String> clusters = new TreeSet<>();
  private String clustersVersion = "";
  private String endpointsVersion = "";
  private ManagedChannel channel;
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> delta;
  private volatile boolean closed;
  private int reconnects;

  public HoldingAdsClient(Mode mode, int port, String nodeId) {
    this.mode = mode;
    this.port = port;
    this.node = Node.newBuilder().setId(nodeId).setCluster("chaos").build();
    connect();
  }

  private synchronized void connect() {
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
    var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (mode == Mode.SOTW) {
      sotw = stub.streamAggregatedResources(observer(this::onSotw));
      sotw.onNext(sotwRequest(XdsType.CLUSTERS, clustersVersion, "", List.of()));
      if (!clusters.isEmpty()) {
        sotw.onNext(sotwRequest(XdsType.ENDPOINTS, endpointsVersion, "", List.copyOf(clusters)));
      }
    } else {
      delta = stub.deltaAggregatedResources(observer(this::onDelta));
      delta.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(XdsType.CLUSTERS.typeUrl())
              .build());
      if (!clusters.isEmpty()) {
        delta.onNext(
            DeltaDiscoveryRequest.newBuilder()
                .setNode(node)
                .setTypeUrl(XdsType.ENDPOINTS.typeUrl())
                .addAllResourceNamesSubscribe(clusters)
                .putAllInitialResourceVersions(deltaVersions)
                .build());
      }
    }
  }

  private <T> StreamObserver<T> observer(java.util.function.Consumer<T> handler) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        handler.accept(value);
      }

      @Override
      public void onError(Throwable t) {
        reconnect();
      }

      @Override
      public void onCompleted() {
        reconnect();
      }
    };
  }

  private void reconnect() {
    if (closed) {
      return;
    }
    synchronized (this) {
      reconnects++;
      channel.shutdownNow();
    }
    // The restarted control plane may not listen yet; a new stream fails and comes back here.
    try {
      TimeUnit.MILLISECONDS.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!closed) {
      connect();
    }
  }

  private DiscoveryRequest sotwRequest(
      XdsType type, String version, String nonce, List<String> names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type.typeUrl())
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .addAllResourceNames(names)
        .build();
  }

  private synchronized void onSotw(DiscoveryResponse response) {
    if (response.getTypeUrl().equals(XdsType.CLUSTERS.typeUrl())) {
      Set<String> names = new TreeSet<>();
      for (Any any : response.getResourcesList()) {
        names.add(unpack(any, Cluster.class).getName());
      }
      clustersVersion = response.getVersionInfo();
      sotw.onNext(sotwRequest(XdsType.CLUSTERS, clustersVersion, response.getNonce(), List.of()));
      if (!names.equals(clusters)) {
        clusters = names;
        endpoints.keySet().retainAll(names);
        sotw.onNext(sotwRequest(XdsType.ENDPOINTS, endpointsVersion, "", List.copyOf(names)));
      }
    } else if (response.getTypeUrl().equals(XdsType.ENDPOINTS.typeUrl())) {
      for (Any any : response.getResourcesList()) {
        ClusterLoadAssignment cla = unpack(any, ClusterLoadAssignment.class);
        endpoints.put(cla.getClusterName(), cla);
      }
      endpointsVersion = response.getVersionInfo();
      sotw.onNext(
          sotwRequest(
              XdsType.ENDPOINTS, endpointsVersion, response.getNonce(), List.copyOf(clusters)));
    }
  }

  private synchronized void onDelta(DeltaDiscoveryResponse response) {
    if (response.getTypeUrl().equals(XdsType.CLUSTERS.typeUrl())) {
      Set<String> names = new TreeSet<>(clusters);
      for (Resource resource : response.getResourcesList()) {
        names.add(resource.getName());
      }
      names.removeAll(response.getRemovedResourcesList());
      ack(response);
      List<String> added = new ArrayList<>(names);
      added.removeAll(clusters);
      List<String> gone = new ArrayList<>(clusters);
      gone.removeAll(names);
      clusters = names;
      if (!added.isEmpty() || !gone.isEmpty()) {
        endpoints.keySet().removeAll(gone);
        deltaVersions.keySet().removeAll(gone);
        delta.onNext(
            DeltaDiscoveryRequest.newBuilder()
                .setNode(node)
                .setTypeUrl(XdsType.ENDPOINTS.typeUrl())
                .addAllResourceNamesSubscribe(added)
                .addAllResourceNamesUnsubscribe(gone)
                .build());
      }
    } else if (response.getTypeUrl().equals(XdsType.ENDPOINTS.typeUrl())) {
      for (Resource resource : response.getResourcesList()) {
        endpoints.put(
            resource.getName(), unpack(resource.getResource(), ClusterLoadAssignment.class));
        deltaVersions.put(resource.getName(), resource.getVersion());
      }
      for (String name : response.getRemovedResourcesList()) {
        endpoints.remove(name);
        deltaVersions.remove(name);
      }
      ack(response);
    }
  }

  private void ack(DeltaDiscoveryResponse response) {
    delta.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(response.getTypeUrl())
            .setResponseNonce(response.getNonce())
            .build());
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable " + any.getTypeUrl(), e);
    }
  }

  /** The endpoints it holds, by cluster. */
  public synchronized Map<String, ClusterLoadAssignment> endpoints() {
    return Map.copyOf(endpoints);
  }

  public synchronized int reconnects() {
    return reconnects;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    ManagedChannel c;
    synchronized (this) {
      c = channel;
    }
    c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
