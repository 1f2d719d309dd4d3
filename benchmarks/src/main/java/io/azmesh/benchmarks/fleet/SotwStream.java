package io.azmesh.benchmarks.fleet;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A state-of-the-world ADS stream. Each response of a type replaces what the stream holds of it for
 * Listener and Cluster; for ClusterLoadAssignment and RouteConfiguration a response may carry only
 * some of the subscribed resources, and the others stay as they were. Requests carry the node, as
 * Envoy's do by default, and the last version and nonce of their type.
 */
final class SotwStream extends AdsStream {
  private static final MethodDescriptor<byte[], byte[]> METHOD =
      AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod().toBuilder(BYTES, BYTES)
          .build();

  private final Map<String, String> versions = new HashMap<>();
  private final Map<String, String> nonces = new HashMap<>();

  SotwStream(
      ManagedChannel channel,
      String nodeId,
      Fleet fleet,
      Reading reading,
      Optional<Map<String, ClusterLoadAssignment>> observed) {
    super(channel, nodeId, fleet, reading, observed);
  }

  @Override
  protected MethodDescriptor<byte[], byte[]> method() {
    return METHOD;
  }

  @Override
  protected void subscribe(Set<String> assignments) {
    send(request(CLUSTERS, List.of()));
    send(request(LISTENERS, List.of()));
    if (!assignments.isEmpty()) {
      send(request(ENDPOINTS, assignments));
    }
  }

  private DiscoveryRequest request(String type, Collection<String> names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type)
        .setVersionInfo(versions.getOrDefault(type, ""))
        .setResponseNonce(nonces.getOrDefault(type, ""))
        .addAllResourceNames(names)
        .build();
  }

  @Override
  protected void handle(byte[] bytes) throws IOException {
    DiscoveryResponse response = DiscoveryResponse.parseFrom(aliasing(bytes));
    String type = response.getTypeUrl();
    versions.put(type, response.getVersionInfo());
    nonces.put(type, response.getNonce());
    switch (type) {
      case CLUSTERS -> {
        Set<String> before = assignmentsWanted;
        Set<String> wanted = new TreeSet<>();
        for (Any any : response.getResourcesList()) {
          assignmentOf(any).ifPresent(wanted::add);
        }
        send(request(CLUSTERS, List.of()));
        wantAssignments(wanted);
        if (!assignmentsWanted.equals(before)) {
          send(request(ENDPOINTS, assignmentsWanted));
        }
      }
      case ENDPOINTS -> {
        for (Any any : response.getResourcesList()) {
          assignment(assignmentName(any.getValue()), any.getValue());
        }
        checkSynced();
        send(request(ENDPOINTS, assignmentsWanted));
      }
      case LISTENERS -> {
        Set<String> routes = routeNames(response.getResourcesList());
        send(request(LISTENERS, List.of()));
        if (!routes.equals(routesWanted)) {
          routesWanted = Set.copyOf(routes);
          send(request(ROUTES, routesWanted));
        }
      }
      case ROUTES -> send(request(ROUTES, routesWanted));
      default -> send(request(type, List.of()));
    }
  }
}
