package io.azmesh.benchmarks.fleet;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The client side: many ADS streams to one server, each on its own channel (its own TCP
 * connection), all sharing one small Netty event-loop group and running their callbacks on it, so a
 * thousand streams cost the client little CPU and few threads. Stream 0 also keeps every assignment
 * decoded, to find which one a change lands in.
 */
final class StreamFleet implements AdsStream.Fleet, AutoCloseable {
  private static final int MAX_RESPONSE_BYTES = 256 << 20;

  private final XdsMode mode;
  private final InetSocketAddress server;
  private final NioEventLoopGroup group;
  private final List<AdsStream> reading = new ArrayList<>();
  private final List<AdsStream> stuck = new ArrayList<>();
  private final Map<String, ClusterLoadAssignment> observed = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final AtomicInteger synced = new AtomicInteger();
  private volatile ChangeTarget target;
  private int opened;

  StreamFleet(XdsMode mode, int port, int eventLoopThreads) {
    this.mode = mode;
    try {
      this.server =
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    this.group = new NioEventLoopGroup(eventLoopThreads, new DefaultThreadFactory("fleet", true));
  }

  @Override
  public ChangeTarget target() {
    return target;
  }

  void target(ChangeTarget target) {
    this.target = target;
  }

  @Override
  public String intern(String name) {
    String shared = names.putIfAbsent(name, name);
    return shared == null ? name : shared;
  }

  @Override
  public void synced(AdsStream stream) {
    synced.incrementAndGet();
  }

  private AdsStream open(AdsStream.Reading how, Set<String> stuckAssignments) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(server)
            .usePlaintext()
            .eventLoopGroup(group)
            .channelType(NioSocketChannel.class)
            .directExecutor()
            .maxInboundMessageSize(MAX_RESPONSE_BYTES)
            .build();
    String nodeId = "fleet-" + mode.label() + "-" + opened;
    Optional<Map<String, ClusterLoadAssignment>> keep =
        opened == 0 ? Optional.of(observed) : Optional.empty();
    opened++;
    AdsStream stream =
        switch (mode) {
          case SOTW -> new SotwStream(channel, nodeId, this, how, keep);
          case DELTA -> new DeltaStream(channel, nodeId, this, how, keep);
        };
    stream.start(stuckAssignments);
    return stream;
  }

  /** The outcome of opening streams and waiting for them to hold every assignment. */
  record Sync(Duration elapsed, int unsynced, int failed, Map<String, Long> closedWith) {
    Sync {
      closedWith = Map.copyOf(closedWith);
    }
  }

  /**
   * Opens {@code count} reading streams, {@code batch} at a time; each batch starts when the one
   * before holds everything (or the timeout passed). The time runs from the first open to the last
   * stream synced.
   */
  Sync openInBatches(int count, int batch, Duration timeoutPerBatch) throws InterruptedException {
    long start = System.nanoTime();
    int before = synced.get();
    List<AdsStream> added = new ArrayList<>();
    for (int first = 0; first < count; first += batch) {
      int size = Math.min(batch, count - first);
      for (int i = 0; i < size; i++) {
        added.add(open(AdsStream.Reading.READS, Set.of()));
      }
      int target = before + first + size;
      await(() -> synced.get() >= target, timeoutPerBatch);
    }
    reading.addAll(added);
    long lastSynced = added.stream().mapToLong(AdsStream::syncedAtNanos).max().orElse(start);
    int unsynced = (int) added.stream().filter(s -> s.syncedAtNanos() == 0).count();
    Map<String, Long> closedWith = closedWith(added);
    int failed = (int) closedWith.values().stream().mapToLong(Long::longValue).sum();
    return new Sync(
        Duration.ofNanos(Math.max(0, lastSynced - start)), unsynced, failed, closedWith);
  }

  /** How many of these streams the server or the transport closed, by status code. */
  static Map<String, Long> closedWith(List<AdsStream> streams) {
    return streams.stream()
        .flatMap(s -> s.closed().stream())
        .collect(
            java.util.stream.Collectors.groupingBy(
                status ->
                    status.getCode()
                        + (status.getDescription() == null ? "" : ": " + status.getDescription()),
                java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
  }

  /** Opens streams that subscribe to every assignment the fleet knows and never read. */
  void openStuck(int count) {
    Set<String> all = Set.copyOf(observed.keySet());
    for (int i = 0; i < count; i++) {
      stuck.add(open(AdsStream.Reading.STUCK, all));
    }
  }

  /**
   * A reconnect storm: closes every reading stream's channel, then opens as many new ones at once
   * and waits until they all hold everything.
   */
  Sync reconnectAll(Duration timeout) throws InterruptedException {
    int count = reading.size();
    for (AdsStream stream : reading) {
      stream.channel().shutdownNow();
    }
    reading.clear();
    observed.clear();
    opened = 0;
    return openInBatches(count, count, timeout);
  }

  /** Reading streams, in the order they were opened. */
  List<AdsStream> reading() {
    return reading;
  }

  /** Bytes all reading streams received so far. */
  long bytes() {
    long total = 0;
    for (AdsStream stream : reading) {
      total += stream.bytes();
    }
    return total;
  }

  /** The assignment in which this address serves, as the observing stream holds it. */
  Optional<String> assignmentServing(String address) {
    return observed.entrySet().stream()
        .filter(e -> EndpointChange.isServing(e.getValue(), address))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** Polls a condition every 2 ms, up to a timeout; true if it held. */
  static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  @Override
  public void close() {
    List<AdsStream> all = new ArrayList<>(reading);
    all.addAll(stuck);
    for (AdsStream stream : all) {
      stream.channel().shutdownNow();
    }
    try {
      for (AdsStream stream : all) {
        stream.channel().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
  }
}
