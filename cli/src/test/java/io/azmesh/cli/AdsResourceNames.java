package io.azmesh.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What an Envoy-like test client needs to subscribe: names read from what it received. */
final class AdsResourceNames {
  static final String CLUSTER_TYPE_URL = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String LISTENER_TYPE_URL = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String ROUTE_TYPE_URL =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String ENDPOINT_TYPE_URL =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  /** The order an Envoy-like client subscribes in; EDS last, see the failover test. */
  static final List<String> TYPES =
      List.of(CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_TYPE_URL, ENDPOINT_TYPE_URL);

  private AdsResourceNames() {}

  /** A plaintext channel to a control plane on 127.0.0.1. */
  static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .build();
  }

  /** The node an edge Envoy of the Terraform example announces. */
  static Node node(String nodeId) {
    return Node.newBuilder().setId(nodeId).setCluster("azmesh-edge").build();
  }

  /** Clusters and listeners are subscribed as wildcards, routes and endpoints by name. */
  static boolean isWildcard(String type) {
    return type.equals(CLUSTER_TYPE_URL) || type.equals(LISTENER_TYPE_URL);
  }

  /** The names to subscribe to for {@code type}, given the resources already held. */
  static List<String> namesToAsk(String type, Map<String, Map<String, Any>> held) {
    return switch (type) {
      case ROUTE_TYPE_URL -> routeNames(held.get(LISTENER_TYPE_URL).values());
      case ENDPOINT_TYPE_URL -> endpointNames(held.get(CLUSTER_TYPE_URL).values());
      default -> List.of();
    };
  }

  /** The name a resource is known by in its type. */
  static String name(Any resource) {
    try {
      return switch (resource.getTypeUrl()) {
        case CLUSTER_TYPE_URL -> resource.unpack(Cluster.class).getName();
        case LISTENER_TYPE_URL -> resource.unpack(Listener.class).getName();
        case ROUTE_TYPE_URL -> resource.unpack(RouteConfiguration.class).getName();
        case ENDPOINT_TYPE_URL -> resource.unpack(ClusterLoadAssignment.class).getClusterName();
        default -> throw new AssertionError("unexpected resource type " + resource.getTypeUrl());
      };
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("cannot unpack " + resource.getTypeUrl(), e);
    }
  }

  /** The ClusterLoadAssignments the EDS clusters among {@code clusters} ask for. */
  static List<String> endpointNames(Collection<Any> clusters) {
    TreeSet<String> names = new TreeSet<>();
    for (Any any : clusters) {
      Cluster cluster = unpack(any, Cluster.class);
      if (cluster.getType() == Cluster.DiscoveryType.EDS) {
        String service = cluster.getEdsClusterConfig().getServiceName();
        names.add(service.isEmpty() ? cluster.getName() : service);
      }
    }
    return List.copyOf(names);
  }

  /** The RouteConfigurations the listeners' connection managers ask for over RDS. */
  static List<String> routeNames(Collection<Any> listeners) {
    TreeSet<String> names = new TreeSet<>();
    for (Any any : listeners) {
      for (FilterChain chain : unpack(any, Listener.class).getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager hcm =
                unpack(filter.getTypedConfig(), HttpConnectionManager.class);
            if (hcm.hasRds()) {
              names.add(hcm.getRds().getRouteConfigName());
            }
          }
        }
      }
    }
    return List.copyOf(names);
  }

  static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("cannot unpack " + any.getTypeUrl(), e);
    }
  }
}
