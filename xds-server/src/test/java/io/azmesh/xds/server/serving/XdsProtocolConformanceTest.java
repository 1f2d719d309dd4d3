package io.azmesh.xds.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.serving.NodeStatus.SyncState;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.RawAdsStream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serving streams against Envoy's "xDS REST and gRPC protocol" document
 * (envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol), one test per rule a real client pushes
 * on, each naming the rule and the section it comes from. Every test drives a raw ADS stream the
 * way Envoy or a proxyless gRPC client does, state of the world and delta where the rule holds for
 * both.
 */
class XdsProtocolConformanceTest {
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);
  private static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ProxyEvent> events = new CopyOnWriteArrayList<>();
  private XdsServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** The two wire protocols. */
  enum Variant {
    SOTW,
    DELTA
  }

  // ---------------------------------------------------------------------------------------------
  // The mesh: clusters with their endpoints, an Envoy gateway listener routing over RDS, and one
  // API listener per service for proxyless gRPC.

  /** What one publish holds; tests change one part of it and publish again. */
  private static final class Mesh {
    final Map<String, Integer> clusters = new TreeMap<>();
    final Map<String, List<Integer>> endpoints = new TreeMap<>();
    final Set<String> gatewayRoutesTo = new LinkedHashSet<>();
    String gatewayStatPrefix = "gateway";

    static Mesh of(String... services) {
      Mesh mesh = new Mesh();
      int port = 9001;
      for (String service : services) {
        mesh.clusters.put(service, 1);
        mesh.endpoints.put(service, List.of(port++));
        mesh.gatewayRoutesTo.add(service);
      }
      return mesh;
    }

    Mesh add(String service, int port) {
      clusters.put(service, 1);
      endpoints.put(service, List.of(port));
      gatewayRoutesTo.add(service);
      return this;
    }

    Mesh remove(String service) {
      clusters.remove(service);
      endpoints.remove(service);
      gatewayRoutesTo.remove(service);
      return this;
    }

    XdsResources resources() {
      List<Cluster> c = new ArrayList<>();
      List<ClusterLoadAssignment> e = new ArrayList<>();
      List<Listener> l = new ArrayList<>();
      clusters.forEach(
          (name, timeout) -> {
            c.add(cluster(name, timeout));
            l.add(apiListener(name));
          });
      endpoints.forEach((name, ports) -> e.add(assignment(name, ports)));
      l.add(gatewayListener(gatewayStatPrefix));
      return XdsResources.of(c, e, l, List.of(gatewayRoutes(gatewayRoutesTo)));
    }
  }

  private static Cluster cluster(String name, int connectTimeoutSeconds) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setConnectTimeout(Duration.newBuilder().setSeconds(connectTimeoutSeconds))
        .build();
  }

  private static ClusterLoadAssignment assignment(String name, List<Integer> ports) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (int port : ports) {
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setEndpoint(
                  Endpoint.newBuilder()
                      .setAddress(
                          Address.newBuilder()
                              .setSocketAddress(
                                  SocketAddress.newBuilder()
                                      .setAddress("10.0.0.1")
                                      .setPortValue(port)))));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality).build();
  }

  private static Route routeTo(String cluster) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/" + cluster))
        .setRoute(RouteAction.newBuilder().setCluster(cluster))
        .build();
  }

  private static Listener apiListener(String service) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(service)
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .setName(service)
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName(service)
                            .addDomains("*")
                            .addRoutes(routeTo(service))))
            .build();
    return Listener.newBuilder()
        .setName(service)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  private static Listener gatewayListener(String statPrefix) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(statPrefix)
            .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName("gateway"))
            .build();
    return Listener.newBuilder()
        .setName("gateway")
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(10000)))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  private static RouteConfiguration gatewayRoutes(Set<String> services) {
    VirtualHost.Builder host = VirtualHost.newBuilder().setName("gateway").addDomains("*");
    services.forEach(service -> host.addRoutes(routeTo(service)));
    return RouteConfiguration.newBuilder().setName("gateway").addVirtualHosts(host).build();
  }

  private XdsServer serve(Mesh mesh) {
    server =
        XdsServer.start(
            XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build(),
            Clock.systemUTC(),
            ServingMetrics.none(),
            List.of(events::add));
    open.add(server);
    server.publish(mesh.resources(), Instant.now());
    return server;
  }

  private void publish(Mesh mesh) {
    server.publish(mesh.resources(), Instant.now());
  }

  // ---------------------------------------------------------------------------------------------
  // A client on one raw ADS stream that keeps what a real one keeps: the subscribed names, the
  // last version accepted and the last nonce seen, per type.

  /** One response, either protocol. */
  record Got(
      XdsType type,
      List<String> names,
      List<String> removed,
      String version,
      String nonce,
      List<Any> resources) {
    boolean has(String name) {
      return names.contains(name);
    }
  }

  private final class Client implements AutoCloseable {
    final Variant variant;
    final String nodeId;
    final RawAdsStream raw;
    final Map<XdsType, List<String>> names = new EnumMap<>(XdsType.class);
    final Map<XdsType, String> version = new EnumMap<>(XdsType.class);
    final Map<XdsType, String> nonce = new EnumMap<>(XdsType.class);

    Client(Variant variant, String nodeId) {
      this.variant = variant;
      this.nodeId = nodeId;
      this.raw =
          variant == Variant.SOTW
              ? RawAdsStream.sotw(server.port(), nodeId)
              : RawAdsStream.delta(server.port(), nodeId);
      open.add(this);
    }

    /** Subscribes to {@code add} on top of what it subscribes to; none at all is wildcard. */
    void subscribe(XdsType type, String... add) {
      List<String> next = new ArrayList<>(names.getOrDefault(type, List.of()));
      for (String name : add) {
        if (!next.contains(name)) {
          next.add(name);
        }
      }
      names.put(type, next);
      if (variant == Variant.SOTW) {
        sotw(type, next, Optional.empty());
      } else {
        raw.send(
            DeltaDiscoveryRequest.newBuilder()
                .setTypeUrl(type.typeUrl())
                .addAllResourceNamesSubscribe(List.of(add)));
      }
    }

    /** Subscribes to exactly {@code exactly} (state of the world); an empty list unsubscribes. */
    void subscribeExactly(XdsType type, List<String> exactly) {
      names.put(type, List.copyOf(exactly));
      sotw(type, exactly, Optional.empty());
    }

    void unsubscribe(XdsType type, String... remove) {
      List<String> next = new ArrayList<>(names.getOrDefault(type, List.of()));
      next.removeAll(List.of(remove));
      names.put(type, next);
      if (variant == Variant.SOTW) {
        sotw(type, next, Optional.empty());
      } else {
        raw.send(
            DeltaDiscoveryRequest.newBuilder()
                .setTypeUrl(type.typeUrl())
                .addAllResourceNamesUnsubscribe(List.of(remove)));
      }
    }

    private void sotw(XdsType type, List<String> subscribed, Optional<String> nack) {
      DiscoveryRequest.Builder request =
          DiscoveryRequest.newBuilder()
              .setTypeUrl(type.typeUrl())
              .setVersionInfo(version.getOrDefault(type, ""))
              .setResponseNonce(nonce.getOrDefault(type, ""))
              .addAllResourceNames(subscribed);
      nack.ifPresent(error -> request.setErrorDetail(Status.newBuilder().setMessage(error)));
      raw.send(request);
    }

    /** The next response, whatever its type; its nonce is the latest seen for its type. */
    Got next() throws InterruptedException {
      Got got;
      if (variant == Variant.SOTW) {
        DiscoveryResponse response = raw.next();
        XdsType type = XdsType.of(response.getTypeUrl()).orElseThrow();
        got =
            new Got(
                type,
                response.getResourcesList().stream().map(any -> nameOf(type, any)).toList(),
                List.of(),
                response.getVersionInfo(),
                response.getNonce(),
                response.getResourcesList());
      } else {
        DeltaDiscoveryResponse response = raw.nextDelta();
        XdsType type = XdsType.of(response.getTypeUrl()).orElseThrow();
        got =
            new Got(
                type,
                response.getResourcesList().stream().map(Resource::getName).toList(),
                response.getRemovedResourcesList(),
                response.getSystemVersionInfo(),
                response.getNonce(),
                response.getResourcesList().stream().map(Resource::getResource).toList());
      }
      nonce.put(got.type(), got.nonce());
      return got;
    }

    /** The next response, which must be of {@code type}. */
    Got next(XdsType type) throws InterruptedException {
      Got got = next();
      assertThat(got.type()).as("type of the next response").isEqualTo(type);
      return got;
    }

    void ack(Got got) {
      version.put(got.type(), got.version());
      if (variant == Variant.SOTW) {
        sotw(got.type(), names.getOrDefault(got.type(), List.of()), Optional.empty());
      } else {
        raw.send(
            DeltaDiscoveryRequest.newBuilder()
                .setTypeUrl(got.type().typeUrl())
                .setResponseNonce(got.nonce()));
      }
    }

    void nack(Got got, String error) {
      if (variant == Variant.SOTW) {
        sotw(got.type(), names.getOrDefault(got.type(), List.of()), Optional.of(error));
      } else {
        raw.send(
            DeltaDiscoveryRequest.newBuilder()
                .setTypeUrl(got.type().typeUrl())
                .setResponseNonce(got.nonce())
                .setErrorDetail(Status.newBuilder().setMessage(error)));
      }
    }

    /** Subscribes and ACKs the answer, as a client settles on a type. */
    Got settle(XdsType type, String... names) throws InterruptedException {
      subscribe(type, names);
      Got got = next(type);
      ack(got);
      return got;
    }

    /**
     * Proves nothing else is on its way: every response the server sent before it handled a probe
     * (a subscription to an assignment nobody else asks for) arrives before the probe's answer;
     * then every type must be answered and nothing in flight.
     */
    void assertNothingMoreSent(String probe) throws InterruptedException {
      subscribe(XdsType.ENDPOINTS, probe);
      List<Got> before = new ArrayList<>();
      Got got = next();
      while (!(got.type() == XdsType.ENDPOINTS && got.has(probe))) {
        before.add(got);
        got = next();
      }
      assertThat(before).as("responses nobody asked for").isEmpty();
      assertThat(got.names()).as("the probe's answer").containsExactly(probe);
      ack(got);
      Await.until(WAIT, () -> sync().equals(Optional.of(SyncState.SYNCED)), nodeId + " synced");
      assertThat(queued()).as("responses queued").isFalse();
    }

    /** Whether a response arrived that the test has not read. */
    boolean queued() {
      return variant == Variant.SOTW ? raw.pending().isPresent() : raw.pendingDelta().isPresent();
    }

    Optional<SyncState> sync() {
      return status().map(NodeStatus::sync);
    }

    Optional<NodeStatus> status() {
      return server.nodes().stream()
          .filter(s -> s.nodeId().equals(nodeId) && s.connectedSince().isPresent())
          .findFirst();
    }

    @Override
    public void close() throws InterruptedException {
      raw.close();
    }
  }

  private static String nameOf(XdsType type, Any any) {
    try {
      return switch (type) {
        case CLUSTERS -> any.unpack(Cluster.class).getName();
        case ENDPOINTS -> any.unpack(ClusterLoadAssignment.class).getClusterName();
        case LISTENERS -> any.unpack(Listener.class).getName();
        case ROUTES -> any.unpack(RouteConfiguration.class).getName();
      };
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> routedClusters(Got routes) {
    return routes.resources().stream()
        .flatMap(any -> unpack(any, RouteConfiguration.class).getVirtualHostsList().stream())
        .flatMap(host -> host.getRoutesList().stream())
        .map(route -> route.getRoute().getCluster())
        .toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Item 1. "ACK/NACK and resource type instance version": a server may skip resending what a
  // reconnecting client saw on its previous stream "only if [it knows] that the client is not
  // subscribing to a new resource that it was not previously subscribed to".

  @ParameterizedTest
  @EnumSource(
      value = XdsType.class,
      names = {"ENDPOINTS", "LISTENERS"})
  void resume_nameNewInTheFirstRequestOfAStreamIsSentThoughItsVersionIsServed(XdsType type)
      throws Exception {
    serve(Mesh.of("alpha", "beta", "probe-1"));
    Client before = new Client(Variant.SOTW, "resumer");
    Got held = before.settle(type, "alpha");
    assertThat(held.names()).containsExactly("alpha");

    // A new stream (this replica or another) whose first request names the version the client
    // holds and a name it never received, as grpc-java does for a channel opened while it was down.
    Client after = new Client(Variant.SOTW, "resumer-2");
    after.version.put(type, held.version());
    after.subscribe(type, "alpha", "beta");

    assertThat(after.next(type).names()).contains("beta");
  }

  // Item 2. "How the client specifies what resources to return": the wildcard applies when "the
  // initial request on the stream for that resource type contains no resource names"; "if the list
  // of resource names becomes empty, that means that the client is no longer interested in any
  // resources of the specified type", and a name subscribed again must be resent.

  @ParameterizedTest
  @EnumSource(
      value = XdsType.class,
      names = {"CLUSTERS", "LISTENERS"})
  void unsubscribe_emptyListAfterNamesUnsubscribesAndANameSubscribedAgainIsResent(XdsType type)
      throws Exception {
    serve(Mesh.of("alpha", "beta", "probe-1"));
    Client client = new Client(Variant.SOTW, "emptier");
    client.settle(type, "alpha");

    client.subscribeExactly(type, List.of());
    client.assertNothingMoreSent("probe-1");

    client.subscribeExactly(type, List.of("alpha"));
    assertThat(client.next(type).names()).containsExactly("alpha");
  }

  // Item 3. "Basic protocol overview": requests "set the response_nonce field to the most recent
  // nonce received from the server on that stream"; "ACK and NACK semantics summary": the nonce
  // tells the server which response an ACK or NACK answers. A request with an older nonce (or, in
  // delta, a subscription change, which carries none) answers nothing.

  @ParameterizedTest
  @EnumSource(Variant.class)
  void nonce_staleRequestDoesNotAnswerTheLatestResponseSoItsNackIsRecorded(Variant variant)
      throws Exception {
    Mesh mesh = Mesh.of("alpha", "beta");
    serve(mesh);
    Client client = new Client(variant, "nonces");
    Got first = client.settle(XdsType.ENDPOINTS, "alpha");
    publish(mesh.add("alpha", 9100));
    Got inFlight = client.next(XdsType.ENDPOINTS);

    // Written before the client read the in-flight response: names the older nonce (delta: none).
    client.nonce.put(XdsType.ENDPOINTS, first.nonce());
    client.subscribe(XdsType.ENDPOINTS, "beta");
    client.nonce.put(XdsType.ENDPOINTS, inFlight.nonce());
    client.nack(inFlight, "endpoint rejected for the test");

    Await.until(
        WAIT,
        () ->
            client
                .status()
                .map(s -> s.types().get("endpoints").lastNack().isPresent())
                .orElse(false),
        "the NACK of the latest response recorded");
    assertThat(client.status().orElseThrow().types().get("endpoints").lastNack().orElseThrow())
        .extracting(NodeStatus.Nack::nonce, NodeStatus.Nack::errorDetail)
        .containsExactly(inFlight.nonce(), "endpoint rejected for the test");
    assertThat(events)
        .anyMatch(e -> e.kind() == ProxyEvent.Kind.NACKED && e.nodeId().equals("nonces"));
  }

  // Item 4. "ACK/NACK and resource type instance version", NACK: the client "would reply with
  // error_detail populated and its previous version": a rejected response is rejected whole, so
  // nothing in it reached the client. Everything it did not accept is still owed; the rejected
  // version itself is not resent.

  @ParameterizedTest
  @EnumSource(Variant.class)
  void nack_responseRejectedWholeDeliveredNothingSoItsInnocentResourcesAreStillOwed(Variant variant)
      throws Exception {
    Mesh mesh = Mesh.of("alpha", "beta", "probe-1");
    serve(mesh);
    Client client = new Client(variant, "nacker");
    client.settle(XdsType.ENDPOINTS, "alpha", "beta");
    mesh.endpoints.put("alpha", List.of(9101));
    mesh.endpoints.put("beta", List.of(9102));
    publish(mesh);
    Got rejected = client.next(XdsType.ENDPOINTS);
    assertThat(rejected.names()).containsExactly("alpha", "beta");

    client.nack(rejected, "alpha rejected for the test");
    Await.until(
        WAIT, () -> client.sync().equals(Optional.of(SyncState.NACKED)), "the NACK recorded");
    assertThat(client.queued()).as("the rejected version is not sent again").isFalse();

    mesh.endpoints.put("alpha", List.of(9103));
    publish(mesh);

    Got next = client.next(XdsType.ENDPOINTS);
    assertThat(next.names()).as("beta was never accepted").containsExactly("alpha", "beta");
  }

  // Item 5. "Eventual consistency considerations": on an ADS stream, CDS and then EDS updates must
  // arrive before the LDS/RDS updates that reference them ("make before break"), and clusters no
  // longer referenced are removed only after those updates.

  @ParameterizedTest
  @EnumSource(Variant.class)
  void makeBeforeBreak_newClusterAndItsEndpointsArriveBeforeTheRouteToItAndGoAfter(Variant variant)
      throws Exception {
    Mesh mesh = Mesh.of("alpha");
    serve(mesh);
    Client envoy = new Client(variant, "envoy");
    envoy.settle(XdsType.CLUSTERS);
    envoy.settle(XdsType.ENDPOINTS, "alpha");
    envoy.settle(XdsType.LISTENERS);
    envoy.settle(XdsType.ROUTES, "gateway");

    // A cluster update Envoy has not ACKed yet, then a new cluster and a route to it.
    mesh.clusters.put("alpha", 2);
    publish(mesh);
    Got warming = envoy.next(XdsType.CLUSTERS);
    publish(mesh.add("gamma", 9200));
    envoy.ack(warming);

    List<XdsType> order = new ArrayList<>();
    Got got;
    do {
      got = envoy.next();
      order.add(got.type());
      if (got.type() == XdsType.CLUSTERS && got.has("gamma")) {
        // Envoy asks for the new cluster's endpoints, and ACKs CDS once it has them.
        envoy.subscribe(XdsType.ENDPOINTS, "gamma");
        Got endpoints = envoy.next(XdsType.ENDPOINTS);
        order.add(endpoints.type());
        envoy.ack(endpoints);
        envoy.ack(got);
      } else {
        envoy.ack(got);
      }
    } while (!(got.type() == XdsType.ROUTES && routedClusters(got).contains("gamma")));
    assertThat(order)
        .as("cluster, its endpoints, then the route to it")
        .containsSubsequence(XdsType.CLUSTERS, XdsType.ENDPOINTS, XdsType.ROUTES);
    assertThat(order.indexOf(XdsType.ROUTES)).isEqualTo(order.size() - 1);

    // Break: the route to gamma goes before gamma does.
    publish(mesh.remove("gamma"));
    List<Got> removal = new ArrayList<>();
    do {
      got = envoy.next();
      removal.add(got);
      envoy.ack(got);
    } while (!(got.type() == XdsType.CLUSTERS
        && (variant == Variant.SOTW ? !got.has("gamma") : got.removed().contains("gamma"))));
    assertThat(removal)
        .extracting(Got::type)
        .as("the route stops naming gamma, then gamma goes")
        .containsSubsequence(XdsType.ROUTES, XdsType.CLUSTERS);
  }

  // Item 6. "Incremental xDS": the legacy wildcard is the first request with no names, for
  // Listener and Cluster only; "Subscribing to resources": a name subscribed again is answered with
  // the resource; "Knowing when a requested resource does not exist": a subscribed name that does
  // not exist is reported in removed_resources.

  @Test
  void delta_emptyFirstSubscriptionToEndpointsIsNotWildcard() throws Exception {
    serve(Mesh.of("alpha", "beta", "probe-1"));
    Client client = new Client(Variant.DELTA, "delta-eds");

    client.raw.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(XdsType.ENDPOINTS.typeUrl()));

    client.assertNothingMoreSent("probe-1");
  }

  @Test
  void delta_nameSubscribedAgainIsAnsweredWithTheResource() throws Exception {
    serve(Mesh.of("alpha"));
    Client client = new Client(Variant.DELTA, "delta-again");
    client.settle(XdsType.ENDPOINTS, "alpha");

    client.raw.send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(XdsType.ENDPOINTS.typeUrl())
            .addResourceNamesSubscribe("alpha"));

    assertThat(client.next(XdsType.ENDPOINTS).names()).containsExactly("alpha");
  }

  @Test
  void delta_subscribedNameThatDoesNotExistIsReportedRemoved() throws Exception {
    serve(Mesh.of("alpha"));
    Client client = new Client(Variant.DELTA, "delta-missing");

    client.subscribe(XdsType.CLUSTERS, "alpha", "nonexistent");

    Got got = client.next(XdsType.CLUSTERS);
    assertThat(got.names()).containsExactly("alpha");
    assertThat(got.removed()).containsExactly("nonexistent");
  }

  // Item 7. "How the client specifies what resources to return": for a wildcard subscription "the
  // server should use site-specific business logic to determine the full set of resources that the
  // client is interested in". Envoy takes an API listener only from its bootstrap, so a wildcard
  // (Envoy) subscriber is served the gateway listeners, and a client naming an API listener
  // (proxyless gRPC) gets that one.

  @ParameterizedTest
  @EnumSource(Variant.class)
  void apiListeners_onlyToClientsNamingThemWildcardGetsGatewayListeners(Variant variant)
      throws Exception {
    serve(Mesh.of("alpha", "beta"));
    Client envoy = new Client(variant, "edge");
    Client grpc = new Client(variant, "proxyless");

    Got wildcard = envoy.settle(XdsType.LISTENERS);
    Got named = grpc.settle(XdsType.LISTENERS, "alpha");

    assertThat(wildcard.names()).containsExactly("gateway");
    assertThat(named.names()).containsExactly("alpha");
  }

  // Issue 27 item 2. "Resource warming": an updated Cluster warms until its ClusterLoadAssignment
  // arrives, and Envoy asks for it again with the version it already holds; an updated Listener
  // warms until its RouteConfiguration arrives. Both are sent on that request even if unchanged.

  /** Every protocol with both parents: a Cluster and its assignment, a Listener and its routes. */
  static Stream<Arguments> warmingParents() {
    return Stream.of(Variant.values())
        .flatMap(
            v -> Stream.of(Arguments.of(v, XdsType.CLUSTERS), Arguments.of(v, XdsType.LISTENERS)));
  }

  @ParameterizedTest
  @MethodSource("warmingParents")
  void warming_updatedParentGetsItsUnchangedChildOnTheNextRequestForIt(
      Variant variant, XdsType parent) throws Exception {
    Mesh mesh = Mesh.of("alpha", "beta");
    serve(mesh);
    XdsType child = parent.dependent().orElseThrow();
    String name = parent == XdsType.CLUSTERS ? "alpha" : "gateway";
    Client envoy = new Client(variant, "warming");
    envoy.settle(parent);
    envoy.settle(child, name);

    if (parent == XdsType.CLUSTERS) {
      mesh.clusters.put("alpha", 5);
    } else {
      mesh.gatewayStatPrefix = "edge";
    }
    publish(mesh);
    Got updated = envoy.next(parent);
    // Envoy holds its ACK of the parent back and asks for the child again: state of the world,
    // the same names with the version it holds; delta, the name subscribed again.
    if (variant == Variant.SOTW) {
      envoy.subscribe(child);
    } else {
      envoy.subscribe(child, name);
    }

    Got again = envoy.next(child);
    assertThat(again.names()).containsExactly(name);
    envoy.ack(again);
    envoy.ack(updated);
    Await.until(WAIT, () -> envoy.sync().equals(Optional.of(SyncState.SYNCED)), "both types ACKed");
  }
}
