package io.azmesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class XdsResourcesTest {
  private static final List<String> SERVICES = List.of("api", "cache", "shop", "web");

  /** A mesh of one cluster, assignment and listener per service and one route configuration. */
  private record Mesh(
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      List<RouteConfiguration> routes) {

    /** New objects on every call; each service has {@code endpoints} endpoints. */
    static Mesh of(List<String> services, Function<String, Integer> endpoints) {
      return new Mesh(
          services.stream().map(XdsResourcesTest::cluster).toList(),
          services.stream().map(s -> assignment(s, endpoints.apply(s))).toList(),
          services.stream().map(XdsResourcesTest::listener).toList(),
          List.of(gatewayRoutes(services)));
    }

    XdsResources resources(ResourceDigests digests) {
      return XdsResources.of(clusters, endpoints, listeners, routes, digests);
    }

    Mesh withEndpoints(ClusterLoadAssignment changed) {
      return new Mesh(clusters, replace(endpoints, changed), listeners, routes);
    }

    Mesh withCluster(Cluster changed) {
      return new Mesh(replace(clusters, changed), endpoints, listeners, routes);
    }

    int size() {
      return clusters.size() + endpoints.size() + listeners.size() + routes.size();
    }
  }

  @Test
  void of_warmDigestsAndFreshObjectsGiveTheSameVersions() {
    ResourceDigests warm = new ResourceDigests();
    Mesh mesh = Mesh.of(SERVICES, s -> 3);
    XdsVersions first = mesh.resources(warm).versions();
    XdsVersions reused = mesh.resources(warm).versions();

    Mesh equalContent = Mesh.of(SERVICES, s -> 3);
    XdsVersions fresh = equalContent.resources(new ResourceDigests()).versions();
    List<Cluster> clusters = new ArrayList<>(equalContent.clusters());
    Collections.reverse(clusters);
    XdsVersions otherOrder =
        XdsResources.of(
                clusters, equalContent.endpoints(), equalContent.listeners(), equalContent.routes())
            .versions();

    assertThat(reused).isEqualTo(first);
    assertThat(fresh).isEqualTo(first);
    assertThat(otherOrder).isEqualTo(first);
  }

  @Test
  void of_oneChangedAssignmentChangesOnlyTheEndpointsVersionAndItsClustersVersion() {
    ResourceDigests digests = new ResourceDigests();
    Mesh before = Mesh.of(SERVICES, s -> 3);
    XdsVersions one = before.resources(digests).versions();

    XdsVersions two = before.withEndpoints(assignment("shop", 4)).resources(digests).versions();

    assertThat(two.endpoints()).isNotEqualTo(one.endpoints());
    assertThat(two.endpointsByCluster().get("shop"))
        .isNotEqualTo(one.endpointsByCluster().get("shop"));
    Map<String, String> others = new TreeMap<>(two.endpointsByCluster());
    others.put("shop", one.endpointsByCluster().get("shop"));
    assertThat(others).isEqualTo(one.endpointsByCluster());
    assertThat(List.of(two.clusters(), two.listeners(), two.routes()))
        .isEqualTo(List.of(one.clusters(), one.listeners(), one.routes()));
  }

  @Test
  void of_oneChangedClusterChangesOnlyTheClustersVersion() {
    ResourceDigests digests = new ResourceDigests();
    Mesh before = Mesh.of(SERVICES, s -> 3);
    XdsVersions one = before.resources(digests).versions();

    Cluster slower = cluster("web").toBuilder().setConnectTimeout(seconds(5)).build();
    XdsVersions two = before.withCluster(slower).resources(digests).versions();

    assertThat(two.clusters()).isNotEqualTo(one.clusters());
    assertThat(List.of(two.endpoints(), two.listeners(), two.routes()))
        .isEqualTo(List.of(one.endpoints(), one.listeners(), one.routes()));
    assertThat(two.endpointsByCluster()).isEqualTo(one.endpointsByCluster());
  }

  @Test
  void of_secondCallWithOneChangedResourceDigestsExactlyThatOne() {
    List<String> services = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      services.add("svc-%02d".formatted(i));
    }
    ResourceDigests digests = new ResourceDigests();
    Mesh mesh = Mesh.of(services, s -> 2);
    mesh.resources(digests);
    int first = digests.digestedInLastCall();

    Mesh changed = mesh.withEndpoints(assignment("svc-17", 3));
    changed.resources(digests);
    int second = digests.digestedInLastCall();
    changed.resources(digests);
    int third = digests.digestedInLastCall();

    assertThat(second).isEqualTo(1);
    assertThat(third).isZero();
    assertThat(first).isEqualTo(mesh.size());
  }

  @Test
  void of_aResourceLeftOutOfOneCallIsDigestedAgainWhenItComesBack() {
    ResourceDigests digests = new ResourceDigests();
    Mesh all = Mesh.of(SERVICES, s -> 1);
    all.resources(digests);
    new Mesh(List.of(), all.endpoints(), all.listeners(), all.routes()).resources(digests);

    XdsVersions back = all.resources(digests).versions();

    assertThat(digests.digestedInLastCall()).isEqualTo(all.clusters().size());
    assertThat(back)
        .isEqualTo(Mesh.of(SERVICES, s -> 1).resources(new ResourceDigests()).versions());
  }

  /**
   * The documented scheme, computed here from the bytes: a change to it changes every version
   * served, which makes every client that reconnects fetch everything once, so it is deliberate.
   */
  @Test
  void of_versionsAreTheDocumentedHashesOfTheDeterministicBytes() throws Exception {
    Mesh mesh = Mesh.of(SERVICES, s -> 2);
    XdsVersions versions = mesh.resources(new ResourceDigests()).versions();

    MessageDigest endpoints = MessageDigest.getInstance("SHA-256");
    for (ClusterLoadAssignment cla : mesh.endpoints()) {
      byte[] name = cla.getClusterName().getBytes(StandardCharsets.UTF_8);
      endpoints.update(ByteBuffer.allocate(4).putInt(name.length).array());
      endpoints.update(name);
      endpoints.update(sha256(deterministicBytes(cla)));
    }
    ClusterLoadAssignment api = mesh.endpoints().get(0);

    assertThat(versions.endpoints()).isEqualTo(hex16(endpoints.digest()));
    assertThat(versions.endpointsByCluster().get("api"))
        .isEqualTo(hex16(sha256(deterministicBytes(api))));
    assertThat(XdsResources.empty().versions().clusters())
        .isEqualTo(hex16(sha256(new byte[0])))
        .hasSize(16);
  }

  private static byte[] deterministicBytes(Message message) throws IOException {
    byte[] bytes = new byte[message.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    message.writeTo(out);
    out.checkNoSpaceLeft();
    return bytes;
  }

  private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static String hex16(byte[] digest) {
    return HexFormat.of().formatHex(digest).substring(0, 16);
  }

  private static <T extends Message> List<T> replace(List<T> resources, T changed) {
    List<T> copy = new ArrayList<>(resources);
    for (int i = 0; i < copy.size(); i++) {
      if (nameOf(copy.get(i)).equals(nameOf(changed))) {
        copy.set(i, changed);
      }
    }
    return copy;
  }

  private static String nameOf(Message resource) {
    return resource instanceof ClusterLoadAssignment cla
        ? cla.getClusterName()
        : (String) resource.getField(resource.getDescriptorForType().findFieldByName("name"));
  }

  static Cluster cluster(String service) {
    return Cluster.newBuilder()
        .setName(service)
        .setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(seconds(1))
        .build();
  }

  static ClusterLoadAssignment assignment(String service, int endpoints) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (int i = 0; i < endpoints; i++) {
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setEndpoint(
                  Endpoint.newBuilder()
                      .setAddress(
                          Address.newBuilder()
                              .setSocketAddress(
                                  SocketAddress.newBuilder()
                                      .setAddress("10.0.%d.%d".formatted(service.length(), i + 4))
                                      .setPortValue(8080)))));
    }
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(service)
        .addEndpoints(locality)
        .build();
  }

  static Listener listener(String service) {
    return Listener.newBuilder().setName(service).setStatPrefix(service).build();
  }

  static RouteConfiguration gatewayRoutes(List<String> services) {
    RouteConfiguration.Builder routes = RouteConfiguration.newBuilder().setName("gateway");
    for (String service : services) {
      routes.addVirtualHosts(VirtualHost.newBuilder().setName(service).addDomains(service));
    }
    return routes.build();
  }

  private static Duration seconds(long seconds) {
    return Duration.newBuilder().setSeconds(seconds).build();
  }
}
