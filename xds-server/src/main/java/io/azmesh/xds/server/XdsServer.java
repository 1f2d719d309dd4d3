package io.azmesh.xds.server;

import io.azmesh.xds.XdsResources;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS gRPC server: ADS and delta ADS, plus the per-type CDS/EDS/LDS/RDS services, serving
 * whatever was last published and tracking every node's ACKs and NACKs.
 */
public final class XdsServer implements SnapshotSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServer.class);

  private final XdsServerConfig config;
  private final SnapshotPublisher publisher;
  private final NodeTracker tracker;
  private final Server server;
  private volatile int port;

  private XdsServer(XdsServerConfig config, Clock clock) {
    this.config = config;
    this.publisher = new SnapshotPublisher(config.grouping());
    RejectedVersions rejected = new RejectedVersions();
    this.tracker = new NodeTracker(clock, config.nodeRetention(), rejected, publisher::snapshotFor);
    // The cached serializer packs each resource once for all clients that receive it.
    V3DiscoveryServer discovery =
        new V3DiscoveryServer(
            List.of(tracker),
            new NackHoldingWatcher(publisher, rejected),
            new DefaultExecutorGroup(),
            new CachedProtoResourcesSerializer());
    this.server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(config.bindAddress(), config.port()), credentials(config))
            .keepAliveTime(config.keepalive().time().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(config.keepalive().timeout().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(
                config.keepalive().permitClientTime().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true)
            // A restarted control plane rebinds its port while old connections sit in TIME_WAIT.
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .addService(discovery.getAggregatedDiscoveryServiceImpl())
            .addService(discovery.getClusterDiscoveryServiceImpl())
            .addService(discovery.getEndpointDiscoveryServiceImpl())
            .addService(discovery.getListenerDiscoveryServiceImpl())
            .addService(discovery.getRouteDiscoveryServiceImpl())
            .build();
  }

  /**
   * Binds and starts serving. Nothing is served until the first {@link #publish}: clients that
   * connect before wait on an open watch.
   *
   * @throws UncheckedIOException if the address cannot be bound or the TLS files cannot be read
   */
  public static XdsServer start(XdsServerConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    XdsServer xds = new XdsServer(config, clock);
    try {
      xds.server.start();
      xds.port = xds.server.getPort();
    } catch (IOException e) {
      xds.server.shutdownNow();
      throw new UncheckedIOException(
          "cannot serve xDS on " + config.bindAddress() + ":" + config.port(), e);
    }
    LOG.info(
        "xDS server listening on {}:{} ({})",
        config.bindAddress(),
        xds.port(),
        config.tls().isPresent() ? "TLS" : "plaintext");
    return xds;
  }

  private static ServerCredentials credentials(XdsServerConfig config) {
    if (config.tls().isEmpty()) {
      return InsecureServerCredentials.create();
    }
    TlsConfig tls = config.tls().get();
    try {
      TlsServerCredentials.Builder builder =
          TlsServerCredentials.newBuilder()
              .keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
      if (tls.clientCa().isPresent()) {
        builder
            .trustManager(tls.clientCa().get().toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read TLS files " + tls.certificateChain() + ", " + tls.privateKey(), e);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return port;
  }

  @Override
  public void publish(XdsResources resources) {
    publisher.publish(resources);
  }

  /** Every node connected now or within the retention period, sorted by node id. */
  public List<NodeStatus> nodes() {
    return tracker.nodes();
  }

  /** NACKs received since start, from all nodes. */
  long nacksReceived() {
    return tracker.nacksReceived();
  }

  /**
   * Stops accepting connections, gives open streams the grace period to end, then cancels them;
   * clients reconnect to another replica or to the restarted server and keep their config.
   */
  @Override
  public void close() {
    server.shutdown();
    try {
      long grace = config.shutdownGrace().toMillis();
      if (!server.awaitTermination(grace, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(grace, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("xDS server on {}:{} stopped", config.bindAddress(), port);
  }
}
