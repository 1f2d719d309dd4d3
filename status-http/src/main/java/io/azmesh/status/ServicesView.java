package io.azmesh.status;

import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /api/services}: every published cluster with its endpoints and how many serve or
 * drain.
 *
 * @param snapshotVersion the published snapshot's counter, 0 before the first publish
 * @param services one entry per cluster, sorted by cluster name
 */
public record ServicesView(long snapshotVersion, List<Service> services) {

  public ServicesView {
    services = List.copyOf(services);
  }

  /**
   * One cluster.
   *
   * @param service the service its endpoints belong to; null when no instance is published in it
   * @param cluster the Envoy cluster name
   * @param ports the distinct endpoint ports, ascending (a VM's port tag can differ from others')
   * @param endpointsVersion the content hash of its ClusterLoadAssignment, null if it has none
   * @param endpointsTotal serving plus draining endpoints
   */
  public record Service(
      String service,
      String cluster,
      List<Integer> ports,
      String endpointsVersion,
      int endpointsTotal,
      int endpointsServing,
      int endpointsDraining,
      List<Endpoint> endpoints) {
    public Service {
      Objects.requireNonNull(cluster, "cluster");
      ports = List.copyOf(ports);
      endpoints = List.copyOf(endpoints);
    }
  }

  /** One endpoint of a cluster, named by the instance it is. */
  public record Endpoint(String instance, String address, int port, int weight, String state) {}

  /** The view of {@code state} now. */
  public static ServicesView of(MeshState state) {
    return state.published().map(ServicesView::of).orElseGet(() -> new ServicesView(0, List.of()));
  }

  private static ServicesView of(PublishedSnapshot snapshot) {
    Map<String, List<Endpoint>> byCluster = new TreeMap<>();
    Map<String, String> serviceOfCluster = new TreeMap<>();
    for (Cluster cluster : snapshot.resources().clusters()) {
      byCluster.put(cluster.getName(), new ArrayList<>());
    }
    for (InstanceStatus status : snapshot.instances()) {
      for (InstanceStatus.ServiceEndpoint endpoint : status.endpoints()) {
        // Per endpoint: a moved instance serves in one service while it drains from another.
        String state = Label.of(endpoint.state());
        byCluster
            .computeIfAbsent(endpoint.cluster(), c -> new ArrayList<>())
            .add(
                new Endpoint(
                    status.instance().name(),
                    endpoint.address(),
                    endpoint.port(),
                    endpoint.weight(),
                    state));
        serviceOfCluster.putIfAbsent(endpoint.cluster(), endpoint.service());
      }
    }
    Map<String, String> versions = snapshot.resources().versions().endpointsByCluster();
    List<Service> services = new ArrayList<>();
    byCluster.forEach(
        (cluster, endpoints) -> {
          endpoints.sort(
              Comparator.comparing(Endpoint::instance)
                  .thenComparing(Endpoint::address)
                  .thenComparingInt(Endpoint::port));
          int serving = count(endpoints, InstanceStatus.State.SERVING);
          int draining = count(endpoints, InstanceStatus.State.DRAINING);
          services.add(
              new Service(
                  serviceOfCluster.get(cluster),
                  cluster,
                  List.copyOf(new TreeSet<>(endpoints.stream().map(Endpoint::port).toList())),
                  versions.get(cluster),
                  endpoints.size(),
                  serving,
                  draining,
                  endpoints));
        });
    return new ServicesView(snapshot.snapshotVersion(), services);
  }

  private static int count(List<Endpoint> endpoints, InstanceStatus.State state) {
    String label = Label.of(state);
    return (int) endpoints.stream().filter(e -> e.state().equals(label)).count();
  }
}
