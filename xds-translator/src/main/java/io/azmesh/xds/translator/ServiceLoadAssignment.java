package io.azmesh.xds.translator;

import com.google.protobuf.UInt32Value;
import io.azmesh.xds.InstanceStatus;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The endpoints of one service, grouped by locality (region = Azure location, zone = Azure zone),
 * one endpoint per address.
 */
final class ServiceLoadAssignment {
  /** Which of several endpoints on one address is published: serving first, then by id. */
  private static final Comparator<PublishedEndpoint> PREFERRED =
      Comparator.comparing((PublishedEndpoint e) -> e.state() != InstanceStatus.State.SERVING)
          .thenComparing(e -> e.instance().id());

  private ServiceLoadAssignment() {}

  static ClusterLoadAssignment of(String service, List<PublishedEndpoint> endpoints) {
    Map<List<String>, List<PublishedEndpoint>> byLocality =
        new TreeMap<>(ServiceLoadAssignment::compareKeys);
    for (PublishedEndpoint endpoint : onePerAddress(endpoints)) {
      byLocality
          .computeIfAbsent(List.of(endpoint.region(), endpoint.zone()), k -> new ArrayList<>())
          .add(endpoint);
    }
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(service);
    byLocality.forEach(
        (key, members) -> {
          List<PublishedEndpoint> sorted =
              members.stream().sorted(PublishedEndpoint.ORDER).toList();
          LocalityLbEndpoints.Builder locality =
              LocalityLbEndpoints.newBuilder()
                  .setLocality(Locality.newBuilder().setRegion(key.get(0)).setZone(key.get(1)))
                  .setLoadBalancingWeight(UInt32Value.of(localityWeight(sorted)));
          sorted.forEach(e -> locality.addLbEndpoints(lbEndpoint(e)));
          cla.addEndpoints(locality);
        });
    return cla.build();
  }

  /**
   * One endpoint per address and port. A replacement VM can take the IP of one still draining;
   * Envoy and grpc-java keep one host per address, so two entries would make its state (draining or
   * serving) depend on their order.
   */
  private static Collection<PublishedEndpoint> onePerAddress(List<PublishedEndpoint> endpoints) {
    Map<String, PublishedEndpoint> byAddress = new HashMap<>();
    for (PublishedEndpoint endpoint : endpoints) {
      byAddress.merge(
          endpoint.address() + " " + endpoint.port(),
          endpoint,
          (a, b) -> PREFERRED.compare(a, b) <= 0 ? a : b);
    }
    return byAddress.values();
  }

  /**
   * The sum of the serving endpoints' weights, so each serving endpoint gets its share whichever
   * locality it is in; 1 when all are draining, because grpc-java rejects a locality without
   * weight.
   */
  private static int localityWeight(List<PublishedEndpoint> endpoints) {
    int serving =
        endpoints.stream()
            .filter(e -> e.state() == InstanceStatus.State.SERVING)
            .mapToInt(PublishedEndpoint::weight)
            .sum();
    return Math.max(1, serving);
  }

  private static LbEndpoint lbEndpoint(PublishedEndpoint e) {
    return LbEndpoint.newBuilder()
        .setEndpoint(
            Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder()
                                .setAddress(e.address())
                                .setPortValue(e.port())))
                .setHostname(e.instance().name()))
        .setHealthStatus(
            e.state() == InstanceStatus.State.DRAINING
                ? HealthStatus.DRAINING
                : HealthStatus.HEALTHY)
        .setLoadBalancingWeight(UInt32Value.of(e.weight()))
        .build();
  }

  private static int compareKeys(List<String> a, List<String> b) {
    int region = a.get(0).compareTo(b.get(0));
    return region != 0 ? region : a.get(1).compareTo(b.get(1));
  }
}
