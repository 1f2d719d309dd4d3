package io.azmesh.xds.translator;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;

/** How a route forwards to a service: cluster, timeout, retries, and the ring-hash key. */
final class ServiceRouteAction {
  /** grpc-java hashes on the channel when it sees this filter-state key: sticky per client. */
  static final String GRPC_CHANNEL_ID = "io.grpc.channel_id";

  private ServiceRouteAction() {}

  /** Who sends the requests, which decides what a ring-hash service hashes on. */
  enum Caller {
    /** Envoy's gateway: hash on the client's source IP. */
    GATEWAY,
    /** A proxyless gRPC client: hash on its channel. */
    PROXYLESS_GRPC
  }

  static RouteAction.Builder of(String service, ServicePolicy policy, Caller caller) {
    RouteAction.Builder action =
        RouteAction.newBuilder()
            .setCluster(service)
            .setTimeout(Durations.toProto(policy.requestTimeout()));
    io.azmesh.xds.translator.RetryPolicy retries = policy.retries();
    if (retries.enabled()) {
      RetryPolicy.Builder retry =
          RetryPolicy.newBuilder()
              .setRetryOn(String.join(",", retries.on()))
              .setNumRetries(UInt32Value.of(retries.attempts()));
      if (!retries.perTryTimeout().isZero()) {
        retry.setPerTryTimeout(Durations.toProto(retries.perTryTimeout()));
      }
      action.setRetryPolicy(retry);
    }
    if (policy.lbPolicy() == LbPolicy.RING_HASH) {
      action.addHashPolicy(
          caller == Caller.GATEWAY
              ? RouteAction.HashPolicy.newBuilder()
                  .setConnectionProperties(
                      RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true))
              : RouteAction.HashPolicy.newBuilder()
                  .setFilterState(
                      RouteAction.HashPolicy.FilterState.newBuilder().setKey(GRPC_CHANNEL_ID)));
    }
    return action;
  }
}
