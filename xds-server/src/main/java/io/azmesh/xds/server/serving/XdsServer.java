package io.azmesh.xds.server.serving;

import io.azmesh.xds.XdsResources;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS gRPC server: ADS and delta ADS, plus the per-type CDS/EDS/LDS/RDS services, serving
 * whatever was last published from the {@link ServingCache} and tracking every stream's ACKs and
 * NACKs.
 */
public final class XdsServer implements XdsServing, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServer.class);

  private final XdsServerConfig config;
  private final ServingCache cache;
  private final ScheduledExecutorService staleCheck;
  private final ServingMetrics metrics;
  private final Meter streamsOpen;
  private final Server server;
  private volatile int port;

  private XdsServer(
      XdsServerConfig config,
      Clock clock,
      ServingMetrics metrics,
      List<ProxyEventListener> listeners) {
    this.config = config;
    this.metrics = metrics;
    // First: it reads the TLS files, and nothing is registered yet if they are bad.
    NettyServerBuilder builder = serverBuilder(config);
    this.cache =
        new ServingCache(
            clock,
            config.nodeRetention(),
            config.staleAfter(),
            config.closedStreamLimit(),
            metrics,
            new ChangeTimes());
    // Before the port is bound, so no proxy's connection goes unheard.
    listeners.forEach(cache::subscribe);
    this.staleCheck =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "azmesh-xds-stale-check");
              thread.setDaemon(true);
              return thread;
            });
    long every = Math.max(1, config.staleAfter().toMillis() / 4);
    staleCheck.scheduleWithFixedDelay(this::reportStale, every, every, TimeUnit.MILLISECONDS);
    this.streamsOpen = metrics.streamsOpen(cache, ServingCache::streamsOpen);
    XdsServices.of(cache).forEach(builder::addService);
    this.server =
        builder
            .keepAliveTime(config.keepalive().time().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(config.keepalive().timeout().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(
                config.keepalive().permitClientTime().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true)
            // A restarted control plane rebinds its port while old connections sit in TIME_WAIT.
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .build();
  }

  /**
   * Binds and starts serving. Nothing is served until the first {@link #publish}: clients that
   * connect before wait on an open watch.
   *
   * @throws UncheckedIOException if the address cannot be bound or the TLS files cannot be read
   */
  public static XdsServer start(XdsServerConfig config, Clock clock) {
    return start(config, clock, ServingMetrics.none(), List.of());
  }

  /**
   * Binds and starts serving, counting streams, ACKs, NACKs and change-to-ACK latency on {@code
   * registry} (names in {@link ServingMetrics}).
   *
   * @throws UncheckedIOException if the address cannot be bound or the TLS files cannot be read
   */
  public static XdsServer start(XdsServerConfig config, Clock clock, MeterRegistry registry) {
    return start(config, clock, ServingMetrics.on(registry), List.of());
  }

  /**
   * Binds and starts serving, as {@link #start(XdsServerConfig, Clock, MeterRegistry)}, with {@code
   * listener} subscribed to proxy events before the port is bound.
   *
   * @throws UncheckedIOException if the address cannot be bound or the TLS files cannot be read
   */
  public static XdsServer start(
      XdsServerConfig config, Clock clock, MeterRegistry registry, ProxyEventListener listener) {
    return start(config, clock, ServingMetrics.on(registry), List.of(listener));
  }

  static XdsServer start(
      XdsServerConfig config,
      Clock clock,
      ServingMetrics metrics,
      List<ProxyEventListener> listeners) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metrics, "metrics");
    XdsServer xds = new XdsServer(config, clock, metrics, List.copyOf(listeners));
    try {
      xds.server.start();
      xds.port = xds.server.getPort();
    } catch (IOException e) {
      xds.server.shutdownNow();
      xds.staleCheck.shutdownNow();
      xds.cache.close();
      metrics.remove(xds.streamsOpen);
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

  private static NettyServerBuilder serverBuilder(XdsServerConfig config) {
    ServerCredentials credentials = credentials(config);
    InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
    try {
      return NettyServerBuilder.forAddress(address, credentials);
    } catch (IllegalArgumentException e) {
      // Netty parses the PEM here: a file that is there but holds no certificate or key.
      throw config.tls().isEmpty()
          ? e
          : new IllegalArgumentException(cannotRead(config.tls().get()), e);
    }
  }

  private static String cannotRead(TlsConfig tls) {
    return "cannot read TLS files "
        + tls.certificateChain()
        + ", "
        + tls.privateKey()
        + tls.clientCa().map(ca -> ", " + ca).orElse("");
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
      throw new UncheckedIOException(cannotRead(tls), e);
    }
  }

  private void reportStale() {
    try {
      cache.pruneClosed();
      cache.reportStale();
    } catch (RuntimeException e) {
      LOG.warn("checking for stale xDS streams failed", e);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return port;
  }

  /**
   * Serves the resources to every stream; returns at once, clients are answered off this thread.
   */
  @Override
  public void publish(XdsResources resources, Instant changeSeenAt) {
    cache.publish(resources, changeSeenAt);
  }

  /**
   * Every stream open now or closed within the retention period, sorted by node id and then by when
   * it opened.
   */
  @Override
  public List<NodeStatus> nodes() {
    return cache.nodes();
  }

  @Override
  public void subscribe(ProxyEventListener listener) {
    cache.subscribe(listener);
  }

  /** NACKs received since start, from all nodes. */
  public long nacksReceived() {
    return cache.nacksReceived();
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
    staleCheck.shutdownNow();
    cache.close();
    metrics.remove(streamsOpen);
    LOG.info("xDS server on {}:{} stopped", config.bindAddress(), port);
  }
}
