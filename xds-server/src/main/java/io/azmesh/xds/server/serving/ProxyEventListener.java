package io.azmesh.xds.server.serving;

/**
 * Receives the {@link ProxyEvent}s of every stream. Called on the thread that saw the event (a gRPC
 * or fan-out thread) with no lock of the server held; it must return quickly and not throw.
 */
@FunctionalInterface
public interface ProxyEventListener {

  void on(ProxyEvent event);
}
