package io.azmesh.benchmarks.fleet;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ADS stream on its own channel, behaving like Envoy: CDS and LDS wildcard, EDS for every
 * cluster it receives, RDS for every route configuration its listeners name, every response ACKed.
 * Responses arrive as raw bytes (their serialized size is what is counted) and only the changed
 * assignment is fully decoded; the others are identified by name, so a thousand streams fit in one
 * small client JVM.
 *
 * <p>A stuck stream subscribes the same way but never asks for a message: it never reads, so the
 * HTTP/2 flow-control window fills and the server sees a proxy that stopped reading.
 */
abstract class AdsStream {
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String ROUTES = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw Status.INTERNAL.withCause(e).asRuntimeException();
          }
        }
      };

  /** The fleet-wide state every stream reports to. */
  interface Fleet {
    /** The change being measured, or null. */
    ChangeTarget target();

    /** One shared copy of a resource name, so a thousand streams do not each keep their own. */
    String intern(String name);

    /** Called once, when the stream first holds every assignment of every cluster. */
    void synced(AdsStream stream);
  }

  /** Whether the stream reads and ACKs, or subscribes and then stops reading. */
  enum Reading {
    READS,
    STUCK
  }

  protected final Node node;
  protected final Fleet fleet;
  private final ManagedChannel channel;
  private final Reading reading;
  private final Optional<Map<String, ClusterLoadAssignment>> observed;
  private ClientCall<byte[], byte[]> call;

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong responses = new AtomicLong();

  // Guarded by this: responses are handled one at a time per stream.
  protected Set<String> assignmentsWanted = Set.of();
  protected Set<String> routesWanted = Set.of();
  private boolean clustersReceived;
  private final Set<String> assignmentsHeld = new HashSet<>();

  private volatile long syncedAtNanos;
  private volatile int reachedChange = -1;
  private volatile long reachedAtNanos;
  private volatile Status closed;

  /**
   * @param observed where to keep every assignment fully decoded (one stream of the fleet does, to
   *     find which assignment a change lands in by its content), or empty
   */
  AdsStream(
      ManagedChannel channel,
      String nodeId,
      Fleet fleet,
      Reading reading,
      Optional<Map<String, ClusterLoadAssignment>> observed) {
    this.channel = channel;
    this.node = Node.newBuilder().setId(nodeId).setCluster("azmesh-fleet-load").build();
    this.fleet = fleet;
    this.reading = reading;
    this.observed = observed;
  }

  /** The bidirectional method of this protocol variant, with raw-byte marshalling. */
  protected abstract MethodDescriptor<byte[], byte[]> method();

  /** The first requests: CDS and LDS wildcard; a stuck stream also EDS for these names. */
  protected abstract void subscribe(Set<String> assignments);

  /** Handles one response; calls the protected helpers below and ACKs. */
  protected abstract void handle(byte[] response) throws IOException;

  /** Starts the call and subscribes; a stuck stream subscribes to these assignments directly. */
  final void start(Set<String> stuckAssignments) {
    call = channel.newCall(method(), CallOptions.DEFAULT);
    call.start(new Responses(), new Metadata());
    synchronized (this) {
      if (reading == Reading.READS) {
        call.request(1);
      }
      subscribe(reading == Reading.STUCK ? stuckAssignments : Set.of());
    }
  }

  /** Sends a request; callers hold this stream's lock, as ClientCall is not thread-safe. */
  protected final void send(MessageLite request) {
    call.sendMessage(request.toByteArray());
  }

  private final class Responses extends ClientCall.Listener<byte[]> {
    @Override
    public void onMessage(byte[] message) {
      bytes.addAndGet(message.length);
      responses.incrementAndGet();
      synchronized (AdsStream.this) {
        try {
          handle(message);
        } catch (IOException | RuntimeException e) {
          call.cancel("undecodable response", e);
          return;
        }
        call.request(1);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closed = status;
    }
  }

  /** A parser that shares the response's bytes instead of copying every resource. */
  static CodedInputStream aliasing(byte[] response) {
    CodedInputStream input = CodedInputStream.newInstance(response);
    input.enableAliasing(true);
    return input;
  }

  /** The assignment a cluster's endpoints come from, if it takes them over EDS. */
  protected final Optional<String> assignmentOf(Any any) throws InvalidProtocolBufferException {
    Cluster cluster = Cluster.parseFrom(any.getValue());
    if (!cluster.hasEdsClusterConfig() && cluster.getType() != Cluster.DiscoveryType.EDS) {
      return Optional.empty();
    }
    String service = cluster.getEdsClusterConfig().getServiceName();
    return Optional.of(fleet.intern(service.isEmpty() ? cluster.getName() : service));
  }

  /** The clusters received so far want these assignments. */
  protected final void wantAssignments(Set<String> names) {
    clustersReceived = true;
    assignmentsWanted = Set.copyOf(names);
    checkSynced();
  }

  /** The route configurations the listeners name over RDS. */
  protected final Set<String> routeNames(Iterable<Any> listeners)
      throws InvalidProtocolBufferException {
    Set<String> names = new TreeSet<>();
    for (Any any : listeners) {
      Listener listener = Listener.parseFrom(any.getValue());
      for (FilterChain chain : listener.getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.hasTypedConfig() && filter.getTypedConfig().is(HttpConnectionManager.class)) {
            addRds(names, filter.getTypedConfig());
          }
        }
      }
      if (listener.hasApiListener()
          && listener.getApiListener().getApiListener().is(HttpConnectionManager.class)) {
        addRds(names, listener.getApiListener().getApiListener());
      }
    }
    return names;
  }

  private static void addRds(Set<String> names, Any config) throws InvalidProtocolBufferException {
    HttpConnectionManager manager = config.unpack(HttpConnectionManager.class);
    if (manager.hasRds()) {
      names.add(manager.getRds().getRouteConfigName());
    }
  }

  /** One assignment received: holds it, and checks it against the change being measured. */
  protected final void assignment(String name, ByteString value)
      throws InvalidProtocolBufferException {
    long now = System.nanoTime();
    String shared = fleet.intern(name);
    assignmentsHeld.add(shared);
    ChangeTarget target = fleet.target();
    if (target != null && reachedChange < target.id() && target.assignment().equals(shared)) {
      if (target.change().heldBy(ClusterLoadAssignment.parseFrom(value))) {
        reachedAtNanos = now;
        reachedChange = target.id();
        target.markReached();
      }
    }
    if (observed.isPresent()) {
      observed.get().put(shared, ClusterLoadAssignment.parseFrom(value));
    }
  }

  protected final void assignmentRemoved(String name) {
    assignmentsHeld.remove(name);
    observed.ifPresent(o -> o.remove(name));
  }

  /** After a batch of assignments: whether the stream now holds all it wants. */
  protected final void checkSynced() {
    if (syncedAtNanos == 0
        && clustersReceived
        && !assignmentsWanted.isEmpty()
        && assignmentsHeld.containsAll(assignmentsWanted)) {
      syncedAtNanos = System.nanoTime();
      fleet.synced(this);
    }
  }

  /** The name of a serialized ClusterLoadAssignment (field 1), without decoding the rest. */
  static String assignmentName(ByteString value) throws InvalidProtocolBufferException {
    try {
      CodedInputStream input = value.newCodedInput();
      for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
        if (tag == (ClusterLoadAssignment.CLUSTER_NAME_FIELD_NUMBER << 3 | 2)) {
          return input.readStringRequireUtf8();
        }
        input.skipField(tag);
      }
      return "";
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Bytes of responses received so far (their serialized size). */
  long bytes() {
    return bytes.get();
  }

  long responses() {
    return responses.get();
  }

  /** When the stream first held every assignment, in {@link System#nanoTime()}; 0 if not yet. */
  long syncedAtNanos() {
    return syncedAtNanos;
  }

  /** When the stream received the change numbered {@code id}, if it did. */
  Optional<Long> reachedAtNanos(int id) {
    return reachedChange == id ? Optional.of(reachedAtNanos) : Optional.empty();
  }

  /** The names of every assignment the stream wants, once it has seen clusters. */
  synchronized Set<String> assignmentsWanted() {
    return assignmentsWanted;
  }

  /** The status the call closed with, if it closed. */
  Optional<Status> closed() {
    return Optional.ofNullable(closed);
  }

  /** Cancels the call (the channel stays open). */
  void cancel() {
    synchronized (this) {
      if (call != null) {
        call.cancel("load generator done", null);
      }
    }
  }

  ManagedChannel channel() {
    return channel;
  }

  static Map<String, ClusterLoadAssignment> observedMap() {
    return new ConcurrentHashMap<>();
  }
}
