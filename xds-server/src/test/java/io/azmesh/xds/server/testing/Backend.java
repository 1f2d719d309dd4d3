package io.azmesh.xds.server.testing;

import io.azmesh.discovery.Instance;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A real gRPC backend on 127.0.0.1 serving the standard health service, counting its calls. */
public final class Backend implements AutoCloseable {
  private final String name;
  private final Server server;
  private final AtomicLong calls;

  private final java.util.Map<String, AtomicLong> callsByAuthority;

  private Backend(
      String name,
      Server server,
      AtomicLong calls,
      java.util.Map<String, AtomicLong> callsByAuthority) {
    this.name = name;
    this.server = server;
    this.calls = calls;
    this.callsByAuthority = callsByAuthority;
  }

  public static Backend start(String name) {
    AtomicLong calls = new AtomicLong();
    java.util.Map<String, AtomicLong> byAuthority = new java.util.concurrent.ConcurrentHashMap<>();
    ServerInterceptor counting =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            calls.incrementAndGet();
            String authority = call.getAuthority() == null ? "" : call.getAuthority();
            byAuthority.computeIfAbsent(authority, a -> new AtomicLong()).incrementAndGet();
            return next.startCall(call, headers);
          }
        };
    HealthStatusManager health = new HealthStatusManager();
    try {
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(ServerInterceptors.intercept(health.getHealthService(), counting))
              .build()
              .start();
      return new Backend(name, server, calls, byAuthority);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.getPort();
  }

  public long calls() {
    return calls.get();
  }

  /** Calls made through a channel for {@code xds:///service}, whose authority is the service. */
  public long calls(String service) {
    AtomicLong count = callsByAuthority.get(service);
    return count == null ? 0 : count.get();
  }

  /** The instance a provider reports for this backend. */
  public Instance instance(String service) {
    return Instance.builder(name, name, "127.0.0.1")
        .tags(Map.of("mesh-service", service, "mesh-port", String.valueOf(port())))
        .build();
  }

  /** Stops like a deleted VM would: new connections are refused, in-flight calls finish. */
  @Override
  public void close() {
    server.shutdown();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
  }
}
