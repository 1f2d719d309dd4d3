package io.azmesh.xds.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.KeepaliveSettings;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.overload.v3.OverloadAction;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.config.overload.v3.ThresholdTrigger;
import io.envoyproxy.envoy.config.overload.v3.Trigger;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * An Envoy v3 bootstrap that knows only the control plane: node identity, a local admin interface,
 * one static cluster through which every listener, route, cluster and endpoint arrives over ADS
 * (delta or state of the world), and the edge's process-wide limits in the overload manager. The
 * same content is printed by {@code meshctl bootstrap} and written by the Terraform {@code
 * envoy-lb} cloud-init.
 *
 * <p>The xDS cluster probes its connection with TCP keepalive and HTTP/2 PINGs: behind a load
 * balancer in front of several control plane replicas, a replica that dies without closing its
 * connections is noticed within seconds and Envoy reconnects through the load balancer to another.
 */
public final class AdsBootstrap {

  /** Name of the static cluster that points at the control plane. */
  public static final String XDS_CLUSTER = "xds_cluster";

  static final String HTTP_PROTOCOL_OPTIONS_KEY =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
  static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();

  /** HTTP/2 PING every 10 s (jittered), connection closed when one goes unanswered for 5 s. */
  static final Duration KEEPALIVE_INTERVAL = Duration.newBuilder().setSeconds(10).build();

  static final Duration KEEPALIVE_TIMEOUT = Duration.newBuilder().setSeconds(5).build();

  /** TCP: first probe after 10 s idle, then every 5 s, closed after 3 unanswered: 25 s at most. */
  static final int TCP_KEEPALIVE_TIME_SECONDS = 10;

  static final int TCP_KEEPALIVE_INTERVAL_SECONDS = 5;
  static final int TCP_KEEPALIVE_PROBES = 3;

  static final String FIXED_HEAP = "envoy.resource_monitors.fixed_heap";
  static final String DOWNSTREAM_CONNECTIONS =
      "envoy.resource_monitors.global_downstream_max_connections";
  static final String SHRINK_HEAP = "envoy.overload_actions.shrink_heap";
  static final String STOP_ACCEPTING_REQUESTS = "envoy.overload_actions.stop_accepting_requests";
  static final double SHRINK_HEAP_AT = 0.95;
  static final double STOP_ACCEPTING_REQUESTS_AT = 0.98;
  static final Duration OVERLOAD_REFRESH_INTERVAL =
      Duration.newBuilder().setNanos(250_000_000).build();

  // Every message packed into an Any above: JsonFormat needs them to print "@type" payloads.
  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpProtocolOptions.getDescriptor())
          .add(UpstreamTlsContext.getDescriptor())
          .add(FixedHeapConfig.getDescriptor())
          .add(DownstreamConnectionsConfig.getDescriptor())
          .build();
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().usingTypeRegistry(TYPES).preservingProtoFieldNames();
  private static final ObjectMapper JSON_TREES = new ObjectMapper();
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // Proto3 JSON prints 64-bit integers as strings; keep them strings in YAML too.
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private final AdsBootstrapOptions options;
  private final Bootstrap bootstrap;

  private AdsBootstrap(AdsBootstrapOptions options) {
    this.options = options;
    this.bootstrap = build(options);
  }

  /** Every type this bootstrap packs in an {@code Any}: what a JSON parser of it needs. */
  public static JsonFormat.TypeRegistry typeRegistry() {
    return TYPES;
  }

  /** The bootstrap for these options. */
  public static AdsBootstrap of(AdsBootstrapOptions options) {
    return new AdsBootstrap(Objects.requireNonNull(options, "options"));
  }

  public AdsBootstrapOptions options() {
    return options;
  }

  /** The bootstrap as an Envoy proto, e.g. to validate or embed it. */
  public Bootstrap bootstrap() {
    return bootstrap;
  }

  /** Proto3 JSON with the proto field names Envoy's docs use ({@code dynamic_resources}). */
  public String json() {
    try {
      return JSON.print(bootstrap) + "\n";
    } catch (InvalidProtocolBufferException e) {
      // Only an Any whose type is missing from TYPES can fail, and build() packs only those.
      throw new IllegalStateException("bootstrap holds a type the printer does not know", e);
    }
  }

  /**
   * The same document as {@link #json()}, as YAML, the form {@code envoy -c} files usually take.
   */
  public String yaml() {
    try {
      JsonNode tree = JSON_TREES.readTree(json());
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Bootstrap build(AdsBootstrapOptions options) {
    ConfigSource viaAds =
        ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();
    return Bootstrap.newBuilder()
        .setNode(Node.newBuilder().setId(options.nodeId()).setCluster(options.nodeCluster()))
        .setAdmin(Admin.newBuilder().setAddress(socketAddress("127.0.0.1", options.adminPort())))
        .setDynamicResources(
            Bootstrap.DynamicResources.newBuilder()
                .setAdsConfig(
                    ApiConfigSource.newBuilder()
                        .setApiType(options.xdsApi().apiType())
                        .setTransportApiVersion(ApiVersion.V3)
                        .addGrpcServices(
                            GrpcService.newBuilder()
                                .setEnvoyGrpc(
                                    GrpcService.EnvoyGrpc.newBuilder()
                                        .setClusterName(XDS_CLUSTER))))
                .setCdsConfig(viaAds)
                .setLdsConfig(viaAds))
        .setStaticResources(Bootstrap.StaticResources.newBuilder().addClusters(xdsCluster(options)))
        .setOverloadManager(overloadManager(options.limits()))
        .build();
  }

  private static OverloadManager overloadManager(EdgeLimits limits) {
    return OverloadManager.newBuilder()
        .setRefreshInterval(OVERLOAD_REFRESH_INTERVAL)
        .addResourceMonitors(
            ResourceMonitor.newBuilder()
                .setName(FIXED_HEAP)
                .setTypedConfig(
                    Any.pack(
                        FixedHeapConfig.newBuilder()
                            .setMaxHeapSizeBytes(limits.maxHeapBytes())
                            .build())))
        .addResourceMonitors(
            ResourceMonitor.newBuilder()
                .setName(DOWNSTREAM_CONNECTIONS)
                .setTypedConfig(
                    Any.pack(
                        DownstreamConnectionsConfig.newBuilder()
                            .setMaxActiveDownstreamConnections(limits.maxDownstreamConnections())
                            .build())))
        .addActions(heapAction(SHRINK_HEAP, SHRINK_HEAP_AT))
        .addActions(heapAction(STOP_ACCEPTING_REQUESTS, STOP_ACCEPTING_REQUESTS_AT))
        .build();
  }

  private static OverloadAction heapAction(String action, double threshold) {
    return OverloadAction.newBuilder()
        .setName(action)
        .addTriggers(
            Trigger.newBuilder()
                .setName(FIXED_HEAP)
                .setThreshold(ThresholdTrigger.newBuilder().setValue(threshold)))
        .build();
  }

  private static Cluster xdsCluster(AdsBootstrapOptions options) {
    HttpProtocolOptions http2 =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                    .setHttp2ProtocolOptions(
                        Http2ProtocolOptions.newBuilder()
                            .setConnectionKeepalive(
                                KeepaliveSettings.newBuilder()
                                    .setInterval(KEEPALIVE_INTERVAL)
                                    .setTimeout(KEEPALIVE_TIMEOUT))))
            .build();
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(XDS_CLUSTER)
            // A name is re-resolved so a replaced control plane VM is followed; an IP needs no DNS.
            .setType(
                options.xdsHostIsIpLiteral()
                    ? Cluster.DiscoveryType.STATIC
                    : Cluster.DiscoveryType.STRICT_DNS)
            .setConnectTimeout(CONNECT_TIMEOUT)
            .setUpstreamConnectionOptions(
                UpstreamConnectionOptions.newBuilder()
                    .setTcpKeepalive(
                        TcpKeepalive.newBuilder()
                            .setKeepaliveTime(UInt32Value.of(TCP_KEEPALIVE_TIME_SECONDS))
                            .setKeepaliveInterval(UInt32Value.of(TCP_KEEPALIVE_INTERVAL_SECONDS))
                            .setKeepaliveProbes(UInt32Value.of(TCP_KEEPALIVE_PROBES))))
            .putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS_KEY, Any.pack(http2))
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(XDS_CLUSTER)
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(
                                        Endpoint.newBuilder()
                                            .setAddress(
                                                socketAddress(
                                                    options.xdsHost(), options.xdsPort()))))));
    options
        .tls()
        .ifPresent(
            tls ->
                cluster.setTransportSocket(
                    TransportSocket.newBuilder()
                        .setName(TLS_TRANSPORT_SOCKET)
                        .setTypedConfig(Any.pack(upstreamTls(tls)))));
    return cluster.build();
  }

  private static UpstreamTlsContext upstreamTls(XdsTls tls) {
    // gRPC servers, grpc-java's among them, refuse a TLS client that does not negotiate h2 with
    // ALPN, and Envoy offers none on an upstream TLS connection unless told.
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder()
            .addAlpnProtocols("h2")
            .setValidationContext(
                CertificateValidationContext.newBuilder().setTrustedCa(file(tls.caFile())));
    tls.client()
        .ifPresent(
            client ->
                common.addTlsCertificates(
                    TlsCertificate.newBuilder()
                        .setCertificateChain(file(client.certFile()))
                        .setPrivateKey(file(client.keyFile()))));
    return UpstreamTlsContext.newBuilder().setCommonTlsContext(common).build();
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }

  private static Address socketAddress(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }
}
