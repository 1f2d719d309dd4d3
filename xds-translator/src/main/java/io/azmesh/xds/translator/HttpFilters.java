package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/** The HTTP filter chain of every connection manager: just the router. */
final class HttpFilters {
  static final String ROUTER = "envoy.filters.http.router";

  /** The router with a typed_config: grpc-java rejects a filter without one. */
  static final HttpFilter ROUTER_FILTER =
      HttpFilter.newBuilder()
          .setName(ROUTER)
          .setTypedConfig(Any.pack(Router.getDefaultInstance()))
          .build();

  private HttpFilters() {}
}
