package io.azmesh.cli;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A gRPC server on 127.0.0.1 serving the standard health service and counting the calls. */
final class HealthBackend implements AutoCloseable {
  private final Server server;
  private final AtomicLong calls;

  private HealthBackend(Server server, AtomicLong calls) {
    this.server = server;
    this.calls = calls;
  }

  static HealthBackend start() {
    AtomicLong calls = new AtomicLong();
    ServerInterceptor counter =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            calls.incrementAndGet();
            return next.startCall(call, headers);
          }
        };
    try {
      Server server =
          Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
              .addService(
                  ServerInterceptors.intercept(
                      new HealthStatusManager().getHealthService(), counter))
              .build()
              .start();
      return new HealthBackend(server, calls);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a health backend", e);
    }
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  long calls() {
    return calls.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
