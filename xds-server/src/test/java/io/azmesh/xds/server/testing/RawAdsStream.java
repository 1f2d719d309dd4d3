package io.azmesh.xds.server.testing;

import com.google.rpc.Status;
import io.azmesh.xds.server.serving.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw ADS stream on its own channel, state of the world or delta, that sends exactly the requests
 * a test writes and queues every response, so a test sees the protocol as a proxy does.
 */
public final class RawAdsStream implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Node node;
  private final ManagedChannel channel;
  private final BlockingQueue<DiscoveryResponse> sotw = new LinkedBlockingQueue<>();
  private final BlockingQueue<DeltaDiscoveryResponse> delta = new LinkedBlockingQueue<>();
  private StreamObserver<DiscoveryRequest> sotwRequests;
  private StreamObserver<DeltaDiscoveryRequest> deltaRequests;

  private RawAdsStream(int port, String nodeId) {
    this.node = Node.newBuilder().setId(nodeId).setCluster("test").build();
    this.channel =
        Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
  }

  public static RawAdsStream sotw(int port, String nodeId) {
    RawAdsStream stream = new RawAdsStream(port, nodeId);
    stream.sotwRequests =
        AggregatedDiscoveryServiceGrpc.newStub(stream.channel)
            .streamAggregatedResources(collecting(stream.sotw));
    return stream;
  }

  public static RawAdsStream delta(int port, String nodeId) {
    RawAdsStream stream = new RawAdsStream(port, nodeId);
    stream.deltaRequests =
        AggregatedDiscoveryServiceGrpc.newStub(stream.channel)
            .deltaAggregatedResources(collecting(stream.delta));
    return stream;
  }

  private static <T> StreamObserver<T> collecting(BlockingQueue<T> queue) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  /** A state-of-the-world request: subscribe to exactly {@code names}, answering {@code nonce}. */
  public void request(XdsType type, String version, String nonce, List<String> names) {
    request(type, version, nonce, names, Optional.empty());
  }

  public void request(
      XdsType type, String version, String nonce, List<String> names, Optional<String> nack) {
    DiscoveryRequest.Builder request =
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(type.typeUrl())
            .setVersionInfo(version)
            .setResponseNonce(nonce)
            .addAllResourceNames(names);
    nack.ifPresent(e -> request.setErrorDetail(Status.newBuilder().setMessage(e)));
    sotwRequests.onNext(request.build());
  }

  /** A state-of-the-world request as the test builds it; the stream's node is set on it. */
  public void send(DiscoveryRequest.Builder request) {
    sotwRequests.onNext(request.setNode(node).build());
  }

  /** A delta request as the test builds it (a NACK, say); the stream's node is set on it. */
  public void send(DeltaDiscoveryRequest.Builder request) {
    deltaRequests.onNext(request.setNode(node).build());
  }

  /** A state-of-the-world request for a type URL of the test's choosing. */
  public void requestRaw(String typeUrl) {
    sotwRequests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl).build());
  }

  /** ACKs a state-of-the-world response, keeping the subscription to {@code names}. */
  public void ack(DiscoveryResponse response, List<String> names) {
    request(
        XdsType.of(response.getTypeUrl()).orElseThrow(),
        response.getVersionInfo(),
        response.getNonce(),
        names);
  }

  /** A delta request. */
  public void delta(
      XdsType type,
      String nonce,
      List<String> subscribe,
      List<String> unsubscribe,
      Map<String, String> initialVersions) {
    deltaRequests.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(type.typeUrl())
            .setResponseNonce(nonce)
            .addAllResourceNamesSubscribe(subscribe)
            .addAllResourceNamesUnsubscribe(unsubscribe)
            .putAllInitialResourceVersions(initialVersions)
            .build());
  }

  public DiscoveryResponse next() throws InterruptedException {
    DiscoveryResponse response = sotw.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (response == null) {
      throw new AssertionError("no state-of-the-world response within " + WAIT);
    }
    return response;
  }

  public DeltaDiscoveryResponse nextDelta() throws InterruptedException {
    DeltaDiscoveryResponse response = delta.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (response == null) {
      throw new AssertionError("no delta response within " + WAIT);
    }
    return response;
  }

  /** A response already received, without waiting; empty if none is queued. */
  public Optional<DiscoveryResponse> pending() {
    return Optional.ofNullable(sotw.poll());
  }

  public Optional<DeltaDiscoveryResponse> pendingDelta() {
    return Optional.ofNullable(delta.poll());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
