package io.azmesh.status;

import com.google.protobuf.Any;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.server.serving.NodeStatus;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One realistic control-plane moment: service {@code app} with one serving and one draining VM, a
 * VM excluded for a bad port tag, an empty cluster {@code db}, an item discovery left out, two
 * proxies (one synced, one that NACKed endpoints) and a provider that failed twice since its last
 * success.
 */
final class MeshFixtures {

  static final Instant DISCOVERED = Instant.parse("2025-02-04T10:00:00Z");
  static final Instant PUBLISHED = Instant.parse("2025-02-04T10:00:01Z");
  static final Instant FAILED = Instant.parse("2025-02-04T10:00:20Z");
  static final Instant NOW = Instant.parse("2025-02-04T10:00:30Z");
  static final long SNAPSHOT_VERSION = 15;

  static final Instance APP_0 =
      Instance.builder("/subscriptions/s/vm/app-0", "app-0", "10.1.1.4")
          .publicIp("20.120.10.1")
          .location("westeurope")
          .zone("1")
          .kind(InstanceKind.VM)
          .tags(Map.of("mesh-service", "app", "mesh-port", "8080"))
          .build();
  static final Instance APP_1 =
      Instance.builder("/subscriptions/s/vm/app-1", "app-1", "10.1.1.5")
          .location("westeurope")
          .zone("2")
          .powerState(PowerState.DEALLOCATING)
          .kind(InstanceKind.SCALE_SET_INSTANCE)
          .tags(Map.of("mesh-service", "app", "mesh-port", "8080"))
          .build();
  static final Instance WEB_0 =
      Instance.builder("/subscriptions/s/vm/web-0", "web-0", "10.1.1.6")
          .kind(InstanceKind.VM)
          .tags(Map.of("mesh-service", "web", "mesh-port", "http"))
          .build();

  static final Problem BAD_PORT = Problem.of("web-0", "tag mesh-port", "http", "not a port number");
  static final Problem ORPHAN_ROUTE =
      Problem.of("gateway edge", "route /db", "db", "names a service with no instances");
  static final Problem NO_IP =
      Problem.missing("vm-9", "private_ip", "a VM needs a private IP to be an endpoint");

  private MeshFixtures() {}

  private static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()))
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
        .build();
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  static XdsResources resources() {
    ConfigSource ads = ads();
    Cluster app = edsCluster("app");
    Cluster db = edsCluster("db");
    ClusterLoadAssignment appEndpoints =
        ClusterLoadAssignment.newBuilder()
            .setClusterName("app")
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .addLbEndpoints(endpoint("10.1.1.4", HealthStatus.HEALTHY))
                    .addLbEndpoints(endpoint("10.1.1.5", HealthStatus.DRAINING)))
            .build();
    HttpConnectionManager.Builder rds =
        HttpConnectionManager.newBuilder()
            .setRds(Rds.newBuilder().setRouteConfigName("app").setConfigSource(ads));
    return XdsResources.of(
        List.of(db, app),
        List.of(appEndpoints),
        List.of(apiListener("app", rds)),
        List.of(routes("app")));
  }

  /** A listener for proxyless gRPC clients: an HTTP connection manager with the router filter. */
  private static Listener apiListener(String name, HttpConnectionManager.Builder routing) {
    HttpConnectionManager hcm =
        routing
            .setStatPrefix(name)
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  /** Every request to {@code cluster}. */
  private static RouteConfiguration routes(String cluster) {
    return RouteConfiguration.newBuilder()
        .setName(cluster)
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName(cluster)
                .addDomains("*")
                .addRoutes(
                    Route.newBuilder()
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
  }

  private static LbEndpoint endpoint(String ip, HealthStatus health) {
    return LbEndpoint.newBuilder()
        .setHealthStatus(health)
        .setEndpoint(
            Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder().setAddress(ip).setPortValue(8080))))
        .build();
  }

  static PublishedSnapshot snapshot() {
    return new PublishedSnapshot(
        SNAPSHOT_VERSION,
        PUBLISHED,
        resources(),
        List.of(
            new InstanceStatus(
                APP_1,
                InstanceStatus.State.DRAINING,
                List.of(
                    new InstanceStatus.ServiceEndpoint(
                        "app", "app", "10.1.1.5", 8080, 1, InstanceStatus.State.DRAINING)),
                List.of()),
            new InstanceStatus(
                APP_0,
                InstanceStatus.State.SERVING,
                List.of(
                    new InstanceStatus.ServiceEndpoint(
                        "app", "app", "10.1.1.4", 8080, 3, InstanceStatus.State.SERVING)),
                List.of()),
            new InstanceStatus(WEB_0, InstanceStatus.State.EXCLUDED, List.of(), List.of(BAD_PORT))),
        List.of(BAD_PORT, ORPHAN_ROUTE));
  }

  static DiscoveryStatus discovery() {
    Discovery last =
        new Discovery(
            List.of(APP_0, APP_1, WEB_0),
            List.of(NO_IP),
            DISCOVERED,
            new DiscoveryStats("azure", 3, Duration.ofMillis(850)));
    return new DiscoveryStatus(
        "azure",
        Optional.of(last),
        Optional.of(DISCOVERED),
        Optional.of(FAILED),
        2,
        5,
        Optional.of(
            new DiscoveryStatus.ProviderError(
                "throttled", "Azure Resource Graph answered 429, retry after 10s", FAILED)),
        List.of(
            new DiscoveryStatus.HeldRemoval(
                "app", 4, 1, 1, 3, DISCOVERED, DISCOVERED.plusSeconds(60))),
        Optional.of(
            new DiscoveryStatus.Rejection(
                PUBLISHED.minusSeconds(60),
                List.of("cluster 'app': connect_timeout must be > 0"))));
  }

  static List<NodeStatus> nodes() {
    XdsResources published = resources();
    String cds = published.versions().clusters();
    String eds = published.versions().endpoints();
    NodeStatus synced =
        new NodeStatus(
            "envoy-lb-0",
            "edge",
            Optional.of("westeurope/1"),
            "envoy 1.31.0",
            Optional.of(PUBLISHED),
            Map.of(
                "clusters",
                new NodeStatus.TypeStatus(Optional.of(cds), Optional.of(cds), Optional.empty()),
                "endpoints",
                new NodeStatus.TypeStatus(Optional.of(eds), Optional.of(eds), Optional.empty())),
            NodeStatus.SyncState.SYNCED);
    NodeStatus nacked =
        new NodeStatus(
            "grpc-client-7",
            "app",
            Optional.empty(),
            "gRPC Java 1.85.1",
            Optional.of(PUBLISHED.plusSeconds(2)),
            Map.of(
                "clusters",
                new NodeStatus.TypeStatus(Optional.of(cds), Optional.of(cds), Optional.empty()),
                "endpoints",
                new NodeStatus.TypeStatus(
                    Optional.of(eds),
                    Optional.of("0000000000000000"),
                    Optional.of(
                        new NodeStatus.Nack(
                            eds,
                            "7",
                            "ClusterLoadAssignment app: weight 0 is not allowed",
                            PUBLISHED.plusSeconds(3))))),
            NodeStatus.SyncState.NACKED);
    return List.of(synced, nacked);
  }

  /** The full moment: published, discovered, two proxies. */
  static FixedMeshState published() {
    return new FixedMeshState(Optional.of(snapshot()), discovery(), nodes());
  }

  /** Before anything happened: nothing discovered, nothing published, nobody connected. */
  static FixedMeshState fresh() {
    return new FixedMeshState(
        Optional.empty(),
        new DiscoveryStatus(
            "azure",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0,
            0,
            Optional.empty(),
            List.of(),
            Optional.empty()),
        List.of());
  }
}
