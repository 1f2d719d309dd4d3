package io.azmesh.cli;

import static io.azmesh.cli.AdsResourceNames.CLUSTER_TYPE_URL;
import static io.azmesh.cli.AdsResourceNames.ENDPOINT_TYPE_URL;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An ADS stream, state of the world or delta, that takes clusters and endpoints the way Envoy does
 * (xDS protocol, "Resource warming"): CDS as a wildcard, EDS by cluster name. A Cluster that is new
 * or changed warms: its CDS ACK is held, EDS is asked again for it as Envoy asks (SotW: the same
 * names with the version and nonce it holds; delta: the name subscribed again), and only once its
 * ClusterLoadAssignment arrived are EDS and then CDS ACKed. A server that never answers that
 * request leaves the cluster warming, which this session reports instead of waiting forever.
 */
final class WarmingAdsSession implements AutoCloseable {
  /** How long a response may take before the session says what it was waiting for. */
  private static final long WAIT_SECONDS = 20;

  enum Mode {
    SOTW,
    DELTA
  }

  /**
   * What the client holds: clusters and endpoints by name, with their versions (SotW: the type's
   * version under every name; delta: each resource's own).
   */
  record Held(
      Map<String, Cluster> clusters,
      Map<String, String> clusterVersions,
      String clustersVersion,
      Map<String, ClusterLoadAssignment> endpoints,
      Map<String, String> endpointVersions,
      String endpointsVersion) {
    Held {
      clusters = Map.copyOf(clusters);
      clusterVersions = Map.copyOf(clusterVersions);
      endpoints = Map.copyOf(endpoints);
      endpointVersions = Map.copyOf(endpointVersions);
    }
  }

  /**
   * One cluster update as the client applied it.
   *
   * @param warmed the clusters that were new or changed, as received
   * @param endpoints the ClusterLoadAssignments received for them while they warmed
   */
  record ClusterUpdate(Map<String, Cluster> warmed, Map<String, ClusterLoadAssignment> endpoints) {}

  private final Mode mode;
  private final ManagedChannel channel;
  private final Node node;
  private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> delta;

  private final Map<String, Cluster> clusters = new TreeMap<>();
  private final Map<String, String> clusterVersions = new TreeMap<>();
  private String clustersVersion = "";
  private final Map<String, ClusterLoadAssignment> endpoints = new TreeMap<>();
  private final Map<String, String> endpointVersions = new TreeMap<>();
  private String endpointsVersion = "";
  private String endpointsNonce = "";
  // The last response of each type, to ACK.
  private final Map<String, Object> last = new TreeMap<>();

  private WarmingAdsSession(Mode mode, int port, String nodeId) {
    this.mode = mode;
    this.channel = AdsResourceNames.channel(port);
    this.node = AdsResourceNames.node(nodeId);
    StreamObserver<Object> queue =
        new StreamObserver<>() {
          @Override
          public void onNext(Object response) {
            responses.add(response);
          }

          @Override
          public void onError(Throwable t) {
            responses.add(t);
          }

          @Override
          public void onCompleted() {
            responses.add("completed");
          }
        };
    var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (mode == Mode.SOTW) {
      sotw = stub.streamAggregatedResources(cast(queue));
    } else {
      delta = stub.deltaAggregatedResources(cast(queue));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> StreamObserver<T> cast(StreamObserver<Object> observer) {
    return (StreamObserver<T>) (StreamObserver<?>) observer;
  }

  /** Opens a stream and subscribes to every cluster and its endpoints; ACKs both. */
  static WarmingAdsSession sync(Mode mode, int port, String nodeId) throws InterruptedException {
    WarmingAdsSession session = new WarmingAdsSession(mode, port, nodeId);
    session.subscribe(CLUSTER_TYPE_URL, List.of(), Map.of(), "");
    session.take(session.nextOfType(CLUSTER_TYPE_URL, "the first clusters"));
    session.ackLast(CLUSTER_TYPE_URL);
    session.subscribe(ENDPOINT_TYPE_URL, session.edsNames(), Map.of(), "");
    session.take(session.nextOfType(ENDPOINT_TYPE_URL, "the first endpoints"));
    session.ackLast(ENDPOINT_TYPE_URL);
    return session;
  }

  /**
   * Opens a new stream holding {@code held}, as Envoy does after losing its control plane: the
   * versions it holds (SotW: per type; delta: per resource in initial_resource_versions).
   */
  static WarmingAdsSession resume(Mode mode, int port, String nodeId, Held held) {
    WarmingAdsSession session = new WarmingAdsSession(mode, port, nodeId);
    session.clusters.putAll(held.clusters());
    session.clusterVersions.putAll(held.clusterVersions());
    session.clustersVersion = held.clustersVersion();
    session.endpoints.putAll(held.endpoints());
    session.endpointVersions.putAll(held.endpointVersions());
    session.endpointsVersion = held.endpointsVersion();
    session.subscribe(CLUSTER_TYPE_URL, List.of(), held.clusterVersions(), held.clustersVersion());
    session.subscribe(
        ENDPOINT_TYPE_URL, session.edsNames(), held.endpointVersions(), held.endpointsVersion());
    return session;
  }

  Held held() {
    return new Held(
        clusters, clusterVersions, clustersVersion, endpoints, endpointVersions, endpointsVersion);
  }

  /**
   * Waits for a CDS response that adds or changes a cluster, applying (and ACKing) whatever comes
   * before it; then warms the new clusters like Envoy and returns what it received for them.
   */
  ClusterUpdate awaitClusterUpdate() throws InterruptedException {
    while (true) {
      Object response = next("a cluster update");
      String type = typeOf(response);
      if (type.equals(ENDPOINT_TYPE_URL)) {
        take(response);
        ackLast(ENDPOINT_TYPE_URL);
        continue;
      }
      Map<String, Cluster> before = new TreeMap<>(clusters);
      take(response);
      Map<String, Cluster> warming = new TreeMap<>();
      clusters.forEach(
          (name, cluster) -> {
            if (!cluster.equals(before.get(name))) {
              warming.put(name, cluster);
            }
          });
      if (warming.isEmpty()) {
        ackLast(CLUSTER_TYPE_URL);
        continue;
      }
      return warm(warming);
    }
  }

  /** CDS ACK held until every warming cluster has its endpoints, as Envoy holds it. */
  private ClusterUpdate warm(Map<String, Cluster> warming) throws InterruptedException {
    if (mode == Mode.SOTW) {
      subscribe(ENDPOINT_TYPE_URL, edsNames(), Map.of(), endpointsVersion, endpointsNonce);
    } else {
      subscribe(ENDPOINT_TYPE_URL, List.copyOf(warming.keySet()), Map.of(), "");
    }
    Map<String, ClusterLoadAssignment> received = new TreeMap<>();
    while (!received.keySet().containsAll(warming.keySet())) {
      Set<String> missing = new TreeSet<>(warming.keySet());
      missing.removeAll(received.keySet());
      Object response =
          next(
              "the endpoints of warming clusters "
                  + missing
                  + (mode == Mode.SOTW
                      ? " after asking for them again with the endpoints version held ("
                          + endpointsVersion
                          + ")"
                      : " after subscribing to them again")
                  + ": without them the clusters stay warming and the CDS ACK stays held");
      if (!typeOf(response).equals(ENDPOINT_TYPE_URL)) {
        throw new AssertionError(
            "expected endpoints while clusters " + missing + " warm, got " + typeOf(response));
      }
      received.putAll(take(response));
      ackLast(ENDPOINT_TYPE_URL);
    }
    ackLast(CLUSTER_TYPE_URL);
    return new ClusterUpdate(warming, received);
  }

  private List<String> edsNames() {
    List<String> names = new ArrayList<>();
    clusters.forEach(
        (name, cluster) -> {
          if (cluster.getType() == Cluster.DiscoveryType.EDS) {
            String service = cluster.getEdsClusterConfig().getServiceName();
            names.add(service.isEmpty() ? name : service);
          }
        });
    return names;
  }

  private void subscribe(
      String type, List<String> names, Map<String, String> initialVersions, String version) {
    subscribe(type, names, initialVersions, version, "");
  }

  private void subscribe(
      String type,
      List<String> names,
      Map<String, String> initialVersions,
      String version,
      String nonce) {
    if (mode == Mode.SOTW) {
      sotw.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .setVersionInfo(version)
              .setResponseNonce(nonce)
              .addAllResourceNames(names)
              .build());
    } else {
      delta.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .addAllResourceNamesSubscribe(names)
              .putAllInitialResourceVersions(initialVersions)
              .build());
    }
  }

  /** Applies a response to what is held; returns the ClusterLoadAssignments it carried. */
  private Map<String, ClusterLoadAssignment> take(Object response) {
    Map<String, ClusterLoadAssignment> assignments = new TreeMap<>();
    String type = typeOf(response);
    last.put(type, response);
    if (response instanceof DiscoveryResponse r) {
      if (type.equals(CLUSTER_TYPE_URL)) {
        // State of the world: the response is every cluster.
        clusters.clear();
        clusterVersions.clear();
        clustersVersion = r.getVersionInfo();
      } else {
        endpointsVersion = r.getVersionInfo();
        endpointsNonce = r.getNonce();
      }
      for (Any any : r.getResourcesList()) {
        put(type, any, r.getVersionInfo(), assignments);
      }
    } else {
      DeltaDiscoveryResponse r = (DeltaDiscoveryResponse) response;
      for (Resource resource : r.getResourcesList()) {
        put(type, resource.getResource(), resource.getVersion(), assignments);
      }
      for (String removed : r.getRemovedResourcesList()) {
        (type.equals(CLUSTER_TYPE_URL) ? clusters : endpoints).remove(removed);
        (type.equals(CLUSTER_TYPE_URL) ? clusterVersions : endpointVersions).remove(removed);
      }
    }
    return assignments;
  }

  private void put(
      String type, Any any, String version, Map<String, ClusterLoadAssignment> assignments) {
    if (type.equals(CLUSTER_TYPE_URL)) {
      Cluster cluster = AdsResourceNames.unpack(any, Cluster.class);
      clusters.put(cluster.getName(), cluster);
      clusterVersions.put(cluster.getName(), version);
    } else {
      ClusterLoadAssignment cla = AdsResourceNames.unpack(any, ClusterLoadAssignment.class);
      endpoints.put(cla.getClusterName(), cla);
      endpointVersions.put(cla.getClusterName(), version);
      assignments.put(cla.getClusterName(), cla);
    }
  }

  private void ackLast(String type) {
    Object response = last.get(type);
    if (response instanceof DiscoveryResponse r) {
      List<String> names = type.equals(CLUSTER_TYPE_URL) ? List.of() : edsNames();
      subscribe(type, names, Map.of(), r.getVersionInfo(), r.getNonce());
    } else {
      DeltaDiscoveryResponse r = (DeltaDiscoveryResponse) response;
      delta.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .setResponseNonce(r.getNonce())
              .build());
    }
  }

  private Object nextOfType(String type, String what) throws InterruptedException {
    Object response = next(what);
    if (!typeOf(response).equals(type)) {
      throw new AssertionError("expected " + what + ", got a response of " + typeOf(response));
    }
    return response;
  }

  private Object next(String what) throws InterruptedException {
    Object response = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (response == null) {
      throw new AssertionError(
          mode
              + " stream: nothing arrived within "
              + WAIT_SECONDS
              + " s while waiting for "
              + what);
    }
    if (response instanceof Throwable error) {
      throw new AssertionError(mode + " stream failed while waiting for " + what, error);
    }
    if (response instanceof String) {
      throw new AssertionError(mode + " stream ended while waiting for " + what);
    }
    return response;
  }

  private static String typeOf(Object response) {
    return response instanceof DiscoveryResponse r
        ? r.getTypeUrl()
        : ((DeltaDiscoveryResponse) response).getTypeUrl();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
