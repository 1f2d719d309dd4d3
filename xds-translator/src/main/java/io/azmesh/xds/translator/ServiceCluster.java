package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck.GrpcHealthCheck;
import io.envoyproxy.envoy.config.core.v3.HealthCheck.HttpHealthCheck;
import io.envoyproxy.envoy.config.core.v3.HealthCheck.TcpHealthCheck;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import java.time.Duration;

/**
 * The Envoy cluster of one service: EDS over ADS, so its endpoints change without the cluster
 * changing. Nothing here depends on which instances are in the service.
 */
final class ServiceCluster {
  /** The typed_extension_protocol_options key Envoy reads upstream HTTP options from. */
  static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private static final int RING_MIN_SIZE = 1024;
  private static final int RING_MAX_SIZE = 8 * 1024 * 1024;

  private ServiceCluster() {}

  /** The cluster for {@code service}: a function of its name and policy only. */
  static Cluster of(String service, ServicePolicy policy) {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(service)
            .setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(
                Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(AdsConfigSource.ADS)
                    .setServiceName(service))
            .setConnectTimeout(Durations.toProto(policy.connectTimeout()))
            .setLbPolicy(lbPolicy(policy.lbPolicy()))
            .setCircuitBreakers(circuitBreakers(policy.circuitBreakers()));
    if (policy.lbPolicy() == LbPolicy.RING_HASH) {
      cluster.setRingHashLbConfig(
          Cluster.RingHashLbConfig.newBuilder()
              .setHashFunction(Cluster.RingHashLbConfig.HashFunction.XX_HASH)
              .setMinimumRingSize(UInt64Value.of(RING_MIN_SIZE))
              .setMaximumRingSize(UInt64Value.of(RING_MAX_SIZE)));
    }
    if (policy.protocol().usesHttp2()) {
      cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, http2Options(policy));
    }
    if (policy.outlierDetection().enabled()) {
      OutlierDetection od = policy.outlierDetection();
      cluster.setOutlierDetection(
          io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
              .setConsecutive5Xx(UInt32Value.of(od.consecutive5xx()))
              .setInterval(Durations.toProto(od.interval()))
              .setBaseEjectionTime(Durations.toProto(od.baseEjectionTime()))
              .setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent())));
    }
    HealthCheck check = policy.healthCheck();
    if (check.kind() == HealthCheck.Kind.TCP) {
      cluster.addHealthChecks(
          healthCheck(check).setTcpHealthCheck(TcpHealthCheck.getDefaultInstance()));
    } else if (check.kind() == HealthCheck.Kind.GRPC) {
      cluster.addHealthChecks(
          healthCheck(check).setGrpcHealthCheck(GrpcHealthCheck.getDefaultInstance()));
    } else if (check.kind() == HealthCheck.Kind.HTTP) {
      HttpHealthCheck.Builder http = HttpHealthCheck.newBuilder().setPath(check.httpPath());
      if (policy.protocol().usesHttp2()) {
        http.setCodecClientType(io.envoyproxy.envoy.type.v3.CodecClientType.HTTP2);
      }
      cluster.addHealthChecks(healthCheck(check).setHttpHealthCheck(http));
    }
    return cluster.build();
  }

  private static io.envoyproxy.envoy.config.core.v3.HealthCheck.Builder healthCheck(
      HealthCheck check) {
    return io.envoyproxy.envoy.config.core.v3.HealthCheck.newBuilder()
        .setInterval(Durations.toProto(check.interval()))
        .setTimeout(Durations.toProto(check.timeout()))
        .setHealthyThreshold(UInt32Value.of(check.healthyThreshold()))
        .setUnhealthyThreshold(UInt32Value.of(check.unhealthyThreshold()));
  }

  private static Any http2Options(ServicePolicy policy) {
    return Any.pack(
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
            .setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder()
                    .setIdleTimeout(Durations.toProto(Duration.ofMinutes(5))))
            .setExplicitHttpConfig(
                io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    .ExplicitHttpConfig.newBuilder()
                    .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
            .build());
  }

  private static io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers circuitBreakers(
      CircuitBreakers limits) {
    return io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder()
        .addThresholds(
            Thresholds.newBuilder()
                .setPriority(RoutingPriority.DEFAULT)
                .setMaxConnections(UInt32Value.of(limits.maxConnections()))
                .setMaxPendingRequests(UInt32Value.of(limits.maxPendingRequests()))
                .setMaxRequests(UInt32Value.of(limits.maxRequests()))
                .setMaxRetries(UInt32Value.of(limits.maxRetries())))
        .build();
  }

  private static Cluster.LbPolicy lbPolicy(LbPolicy policy) {
    return switch (policy) {
      case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
      case RING_HASH -> Cluster.LbPolicy.RING_HASH;
      case RANDOM -> Cluster.LbPolicy.RANDOM;
    };
  }
}
