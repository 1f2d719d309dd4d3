package io.azmesh.benchmarks.fleet;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An incremental (delta) ADS stream: CDS and LDS wildcard (a first request naming nothing), EDS and
 * RDS subscribed by name as clusters and listeners arrive, each response ACKed by its nonce.
 */
final class DeltaStream extends AdsStream {
  private static final MethodDescriptor<byte[], byte[]> METHOD =
      AggregatedDiscoveryServiceGrpc.getDeltaAggregatedResourcesMethod().toBuilder(BYTES, BYTES)
          .build();

  /** Per cluster, the assignment it wants (absent for clusters without EDS). */
  private final Map<String, Optional<String>> clusters = new HashMap<>();

  /** Per listener, the route configurations it names. */
  private final Map<String, Set<String>> listeners = new HashMap<>();

  DeltaStream(
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
    send(request(CLUSTERS).build());
    send(request(LISTENERS).build());
    if (!assignments.isEmpty()) {
      send(request(ENDPOINTS).addAllResourceNamesSubscribe(assignments).build());
    }
  }

  private DeltaDiscoveryRequest.Builder request(String type) {
    return DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type);
  }

  @Override
  protected void handle(byte[] bytes) throws IOException {
    DeltaDiscoveryResponse response = DeltaDiscoveryResponse.parseFrom(aliasing(bytes));
    String type = response.getTypeUrl();
    switch (type) {
      case CLUSTERS -> {
        for (String removed : response.getRemovedResourcesList()) {
          clusters.remove(removed);
        }
        for (Resource resource : response.getResourcesList()) {
          clusters.put(resource.getName(), assignmentOf(resource.getResource()));
        }
        Set<String> wanted = new TreeSet<>();
        clusters.values().forEach(a -> a.ifPresent(wanted::add));
        ack(response);
        Set<String> before = assignmentsWanted;
        wantAssignments(wanted);
        resubscribe(ENDPOINTS, before, assignmentsWanted);
      }
      case ENDPOINTS -> {
        for (String removed : response.getRemovedResourcesList()) {
          assignmentRemoved(fleet.intern(removed));
        }
        for (Resource resource : response.getResourcesList()) {
          String name = resource.getName();
          if (name.isEmpty()) {
            name = assignmentName(resource.getResource().getValue());
          }
          assignment(name, resource.getResource().getValue());
        }
        checkSynced();
        ack(response);
      }
      case LISTENERS -> {
        for (String removed : response.getRemovedResourcesList()) {
          listeners.remove(removed);
        }
        for (Resource resource : response.getResourcesList()) {
          listeners.put(resource.getName(), routeNames(List.of(resource.getResource())));
        }
        Set<String> routes = new TreeSet<>();
        listeners.values().forEach(routes::addAll);
        ack(response);
        Set<String> before = routesWanted;
        routesWanted = Set.copyOf(routes);
        resubscribe(ROUTES, before, routesWanted);
      }
      default -> ack(response);
    }
  }

  private void ack(DeltaDiscoveryResponse response) {
    send(request(response.getTypeUrl()).setResponseNonce(response.getNonce()).build());
  }

  private void resubscribe(String type, Set<String> before, Set<String> after) {
    Set<String> added = new TreeSet<>(after);
    added.removeAll(before);
    Set<String> removed = new TreeSet<>(before);
    removed.removeAll(after);
    if (!added.isEmpty() || !removed.isEmpty()) {
      send(
          request(type)
              .addAllResourceNamesSubscribe(added)
              .addAllResourceNamesUnsubscribe(removed)
              .build());
    }
  }
}
