package io.azmesh.xds.server.serving;

import io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.endpoint.v3.EndpointDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.listener.v3.ListenerDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.route.v3.RouteDiscoveryServiceGrpc;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;

/** The gRPC services of xDS, each stream served from the {@link ServingCache}. */
final class XdsServices {
  private XdsServices() {}

  static List<BindableService> of(ServingCache cache) {
    return List.of(
        new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamAggregatedResources(
              StreamObserver<DiscoveryResponse> out) {
            return cache.openSotw(out, Optional.empty());
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
              StreamObserver<DeltaDiscoveryResponse> out) {
            return cache.openDelta(out, Optional.empty());
          }
        },
        new ClusterDiscoveryServiceGrpc.ClusterDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamClusters(
              StreamObserver<DiscoveryResponse> out) {
            return cache.openSotw(out, Optional.of(XdsType.CLUSTERS));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaClusters(
              StreamObserver<DeltaDiscoveryResponse> out) {
            return cache.openDelta(out, Optional.of(XdsType.CLUSTERS));
          }
        },
        new EndpointDiscoveryServiceGrpc.EndpointDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamEndpoints(
              StreamObserver<DiscoveryResponse> out) {
            return cache.openSotw(out, Optional.of(XdsType.ENDPOINTS));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaEndpoints(
              StreamObserver<DeltaDiscoveryResponse> out) {
            return cache.openDelta(out, Optional.of(XdsType.ENDPOINTS));
          }
        },
        new ListenerDiscoveryServiceGrpc.ListenerDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamListeners(
              StreamObserver<DiscoveryResponse> out) {
            return cache.openSotw(out, Optional.of(XdsType.LISTENERS));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaListeners(
              StreamObserver<DeltaDiscoveryResponse> out) {
            return cache.openDelta(out, Optional.of(XdsType.LISTENERS));
          }
        },
        new RouteDiscoveryServiceGrpc.RouteDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamRoutes(
              StreamObserver<DiscoveryResponse> out) {
            return cache.openSotw(out, Optional.of(XdsType.ROUTES));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaRoutes(
              StreamObserver<DeltaDiscoveryResponse> out) {
            return cache.openDelta(out, Optional.of(XdsType.ROUTES));
          }
        });
  }
}
