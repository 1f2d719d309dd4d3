package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.time.Duration;

/**
 * An Envoy gateway listener: HTTP connection manager with routes over RDS (so route changes never
 * drain the listener), the router, an access log to stdout, and the edge limits of Envoy's
 * edge-proxy guidance: the peer address as the client address, timeouts on request headers, idle
 * connections and idle streams, HTTP/2 stream and window limits, and a per-connection buffer limit.
 * The process-wide limits (heap, downstream connections) live in the bootstrap's overload manager.
 */
final class GatewayListener {
  static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
  static final String STDOUT_ACCESS_LOG = "envoy.access_loggers.stdout";

  /** Time a client gets to send the request headers: slow-loris protection at the edge. */
  private static final Duration REQUEST_HEADERS_TIMEOUT = Duration.ofSeconds(10);

  /** Time a stream may sit without bytes in either direction. */
  private static final Duration STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * HTTP/2 limits from Envoy's edge-proxy guidance: a client may hold 100 streams on one
   * connection, and the flow-control windows (64 KiB per stream, 1 MiB per connection) bound what
   * Envoy buffers for a slow reader instead of Envoy's 256 MiB defaults.
   */
  static final int MAX_CONCURRENT_STREAMS = 100;

  static final int INITIAL_STREAM_WINDOW_BYTES = 64 * 1024;
  static final int INITIAL_CONNECTION_WINDOW_BYTES = 1024 * 1024;

  /** Bytes Envoy buffers per downstream connection before it stops reading from it. */
  static final int PER_CONNECTION_BUFFER_LIMIT_BYTES = 32 * 1024;

  private GatewayListener() {}

  static Listener of(String name, GatewayConfig gateway) {
    HttpConnectionManager hcm =
        connectionManager(name, gateway)
            .setRds(Rds.newBuilder().setConfigSource(AdsConfigSource.ADS).setRouteConfigName(name))
            .build();
    return listener(name, gateway, hcm);
  }

  /** The connection manager without its route source, for the static bootstrap to complete. */
  static HttpConnectionManager.Builder connectionManager(String name, GatewayConfig gateway) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(name)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .addHttpFilters(HttpFilters.ROUTER_FILTER)
        .addAccessLog(
            AccessLog.newBuilder()
                .setName(STDOUT_ACCESS_LOG)
                .setTypedConfig(Any.pack(StdoutAccessLog.getDefaultInstance())))
        // The gateway is the edge: trust the peer address, not a client-sent X-Forwarded-For.
        .setUseRemoteAddress(BoolValue.of(true))
        .setNormalizePath(BoolValue.of(true))
        .setMergeSlashes(true)
        .setPathWithEscapedSlashesAction(
            HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT)
        .setCommonHttpProtocolOptions(
            HttpProtocolOptions.newBuilder()
                .setIdleTimeout(Durations.toProto(gateway.idleTimeout()))
                // Underscores let a client smuggle a header past filters that normalize '-'.
                .setHeadersWithUnderscoresAction(
                    HttpProtocolOptions.HeadersWithUnderscoresAction.REJECT_REQUEST))
        .setHttp2ProtocolOptions(
            Http2ProtocolOptions.newBuilder()
                .setMaxConcurrentStreams(UInt32Value.of(MAX_CONCURRENT_STREAMS))
                .setInitialStreamWindowSize(UInt32Value.of(INITIAL_STREAM_WINDOW_BYTES))
                .setInitialConnectionWindowSize(UInt32Value.of(INITIAL_CONNECTION_WINDOW_BYTES)))
        .setRequestHeadersTimeout(Durations.toProto(REQUEST_HEADERS_TIMEOUT))
        .setStreamIdleTimeout(Durations.toProto(STREAM_IDLE_TIMEOUT));
  }

  static Listener listener(String name, GatewayConfig gateway, HttpConnectionManager hcm) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder()
                        .setAddress(gateway.address())
                        .setPortValue(gateway.port())))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .setPerConnectionBufferLimitBytes(UInt32Value.of(PER_CONNECTION_BUFFER_LIMIT_BYTES))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName(HTTP_CONNECTION_MANAGER)
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }
}
