package io.azmesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Remembered digests never change a version, and only new objects are digested, over random
 * sequences of edits.
 */
class XdsResourcesPropertiesTest {
  private static final int SERVICES = 8;

  /** Gives service {@code service} that many endpoints; 0 removes it. */
  record Edit(int service, int endpoints) {}

  /** The objects of one service, reused until an edit changes it, as a translator does. */
  private record Service(Cluster cluster, ClusterLoadAssignment endpoints, Listener listener) {}

  @Provide
  Arbitrary<List<Edit>> edits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, SERVICES - 1), Arbitraries.integers().between(0, 4))
        .as(Edit::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(20);
  }

  @Property(tries = 100)
  void of_warmDigestsGiveAFreshComputationsVersionsAfterEveryEdit(
      @ForAll("edits") List<Edit> edits) {
    ResourceDigests digests = new ResourceDigests();
    Map<String, Service> mesh = new TreeMap<>();
    for (int i = 0; i < SERVICES; i++) {
      mesh.put(name(i), build(name(i), 1));
    }
    RouteConfiguration routes = XdsResourcesTest.gatewayRoutes(List.copyOf(mesh.keySet()));
    XdsResources.of(clusters(mesh), assignments(mesh), listeners(mesh), List.of(routes), digests);

    for (Edit edit : edits) {
      String name = name(edit.service());
      int newObjects = 0;
      if (edit.endpoints() == 0) {
        mesh.remove(name);
      } else {
        Service before = mesh.get(name);
        ClusterLoadAssignment endpoints = XdsResourcesTest.assignment(name, edit.endpoints());
        mesh.put(
            name,
            before == null
                ? build(name, edit.endpoints())
                : new Service(before.cluster(), endpoints, before.listener()));
        newObjects += before == null ? 3 : 1;
      }
      if (!routes.getVirtualHostsList().stream()
          .map(VirtualHost::getName)
          .toList()
          .equals(List.copyOf(mesh.keySet()))) {
        routes = XdsResourcesTest.gatewayRoutes(List.copyOf(mesh.keySet()));
        newObjects++;
      }

      XdsVersions warm =
          XdsResources.of(
                  clusters(mesh), assignments(mesh), listeners(mesh), List.of(routes), digests)
              .versions();
      int digested = digests.digestedInLastCall();
      Map<String, Service> rebuilt = new TreeMap<>();
      mesh.forEach((s, objects) -> rebuilt.put(s, build(s, endpointCount(objects))));
      XdsVersions fresh =
          XdsResources.of(
                  clusters(rebuilt),
                  assignments(rebuilt),
                  listeners(rebuilt),
                  List.of(XdsResourcesTest.gatewayRoutes(List.copyOf(rebuilt.keySet()))))
              .versions();

      assertThat(warm).isEqualTo(fresh);
      assertThat(digested).isEqualTo(newObjects);
    }
  }

  private static String name(int service) {
    return "svc-" + service;
  }

  private static Service build(String name, int endpoints) {
    return new Service(
        XdsResourcesTest.cluster(name),
        XdsResourcesTest.assignment(name, endpoints),
        XdsResourcesTest.listener(name));
  }

  private static int endpointCount(Service service) {
    return service.endpoints().getEndpoints(0).getLbEndpointsCount();
  }

  private static List<Cluster> clusters(Map<String, Service> mesh) {
    return mesh.values().stream().map(Service::cluster).toList();
  }

  private static List<ClusterLoadAssignment> assignments(Map<String, Service> mesh) {
    return mesh.values().stream().map(Service::endpoints).toList();
  }

  private static List<Listener> listeners(Map<String, Service> mesh) {
    return mesh.values().stream().map(Service::listener).toList();
  }
}
