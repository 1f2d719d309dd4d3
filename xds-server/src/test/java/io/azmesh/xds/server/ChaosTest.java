package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.NodeStatus;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.Backend;
import io.azmesh.xds.server.testing.HoldingAdsClient;
import io.azmesh.xds.server.testing.LoadGenerator;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.server.testing.XdsClientChannels;
import io.azmesh.xds.translator.MeshConfig;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A random walk through a fleet's life, with real clients attached: instances added, removed,
 * retagged, stopped and started, moved to a new address, a service scaled to zero and back, bad
 * tags, provider failures and control-plane restarts. Throughout: no failed RPC to a service that
 * has serving instances, no RPC to an instance for a service after its drain there ended, every
 * stream comes to hold what is published, and threads stay flat. Convergence times and heap are
 * reported; {@code -Dchaos.bounds=true} also asserts them (within {@code -Dchaos.convergence},
 * default 2 s, and heap after a forced GC under twice the start plus 64 MiB).
 *
 * <p>Runs for {@code -Dchaos.duration} (default 2 minutes, the CI form; docs/reliability.md gives
 * the 30-minute command), from {@code -Dchaos.seed} (default 1, so a failure can be replayed).
 */
class ChaosTest {
  private static final Duration RUN = Duration.parse(System.getProperty("chaos.duration", "PT2M"));
  private static final Duration CONVERGE =
      Duration.parse(System.getProperty("chaos.convergence", "PT2S"));

  /**
   * Whether the convergence time and the heap after a forced GC are asserted ({@code
   * -Dchaos.bounds=true}, the long form on a quiet machine) or only reported (the CI form, where
   * the machine's load sets the times and {@code System.gc()} is only a hint).
   */
  private static final boolean BOUNDS = Boolean.getBoolean("chaos.bounds");

  private static final long SEED = Long.getLong("chaos.seed", 1);
  private static final Duration DRAIN = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> SERVICES = List.of("red", "blue");
  private static final int LOAD_THREADS_PER_SERVICE = 4;

  private final Random random = new Random(SEED);
  private final TestProvider provider = new TestProvider(Clock.systemUTC());
  private final Map<String, Vm> vms = new TreeMap<>();
  private final List<Retired> retired = new ArrayList<>();
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final Map<String, LoadGenerator> loads = new LinkedHashMap<>();
  private final Map<Op, Integer> counts = new EnumMap<>(Op.class);
  private final List<Long> convergenceMillis = new ArrayList<>();
  private ControlPlane plane;
  private int port;
  private int vmNumber;
  private long succeeded;
  private long failed;
  private final List<String> failures = new ArrayList<>();
  private int publishes;

  /** A VM of the walk: its service, the server behind its address, and whether it runs. */
  private static final class Vm {
    final String name;
    String service;
    Backend backend;
    boolean running = true;
    boolean badTag;

    Vm(String name, String service, Backend backend) {
      this.name = name;
      this.service = service;
      this.backend = backend;
    }

    Instance instance() {
      Map<String, String> tags =
          Map.of(
              "mesh-service",
              service,
              "mesh-port",
              badTag ? "http" : String.valueOf(backend.port()));
      return Instance.builder(name, name, "127.0.0.1")
          .powerState(running ? PowerState.RUNNING : PowerState.STOPPED)
          .tags(tags)
          .build();
    }
  }

  /**
   * A backend that stopped serving a service; once its removal is published and the clients
   * finished what they had in flight, its calls for that service are frozen at {@code baseline}.
   */
  private static final class Retired {
    final Backend backend;
    final String service;
    final String vm;
    final String cause;
    long baseline = -1;

    Retired(Backend backend, String service, String vm, String cause) {
      this.backend = backend;
      this.service = service;
      this.vm = vm;
      this.cause = cause;
    }
  }

  enum Op {
    ADD,
    REMOVE,
    RETAG,
    STOP,
    START,
    MOVE_ADDRESS,
    SCALE_TO_ZERO_AND_BACK,
    BAD_TAG,
    PROVIDER_FAILURE,
    RESTART
  }

  @AfterEach
  void closeAll() throws Exception {
    for (LoadGenerator load : loads.values()) {
      load.close();
    }
    for (ManagedChannel channel : channels.values()) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (plane != null) {
      plane.close();
    }
    Collections.reverse(closeLast);
    for (AutoCloseable closeable : closeLast) {
      closeable.close();
    }
  }

  @Test
  void randomWalk_invariantsHoldThroughout() throws Exception {
    for (String service : SERVICES) {
      for (int i = 0; i < 3; i++) {
        addVm(service);
      }
    }
    provider.set(instances());
    plane = startPlane(0);
    port = plane.port();
    HoldingAdsClient sotw = new HoldingAdsClient(HoldingAdsClient.Mode.SOTW, port, "chaos-sotw");
    HoldingAdsClient delta = new HoldingAdsClient(HoldingAdsClient.Mode.DELTA, port, "chaos-delta");
    closeLast.add(sotw);
    closeLast.add(delta);
    for (String service : SERVICES) {
      ManagedChannel channel = XdsClientChannels.open(service, port, "chaos-grpc-" + service);
      channels.put(service, channel);
      startLoad(service);
    }
    List<HoldingAdsClient> streams = List.of(sotw, delta);
    converge(streams);
    long heapStart = usedHeap();
    int threadsStart = ManagementFactory.getThreadMXBean().getThreadCount();
    int restarts = 0;

    long deadline = System.nanoTime() + RUN.toNanos();
    while (System.nanoTime() < deadline) {
      Op op = Op.values()[random.nextInt(Op.values().length)];
      if (!apply(op)) {
        continue;
      }
      counts.merge(op, 1, Integer::sum);
      if (op == Op.RESTART) {
        restarts++;
      }
      converge(streams);
      checkRetired();
    }

    for (LoadGenerator load : loads.values()) {
      load.awaitMoreSuccesses(50);
    }
    checkRetired();
    collectLoads();
    long heapEnd = usedHeap();
    int threadsEnd = ManagementFactory.getThreadMXBean().getThreadCount();
    List<Long> sorted = convergenceMillis.stream().sorted().toList();
    long p99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    System.out.printf(
        "chaos: seed %d, %s, ops %s, RPCs %d ok / %d failed, publishes %d, restarts %d,"
            + " convergence p50 %d ms p99 %d ms max %d ms, heap %d -> %d MiB (%s), threads %d ->"
            + " %d, stream reconnects sotw %d delta %d%n",
        SEED,
        RUN,
        counts,
        succeeded,
        failed,
        publishes,
        restarts,
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
        p99,
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
        heapStart >> 20,
        heapEnd >> 20,
        BOUNDS ? "after a forced GC" : "after the last GC",
        threadsStart,
        threadsEnd,
        sotw.reconnects(),
        delta.reconnects());

    assertThat(failed).as("failed RPCs: %s", failures).isZero();
    assertThat(succeeded).isPositive();
    if (BOUNDS) {
      assertThat(heapEnd).as("heap after GC").isLessThan(2 * heapStart + (64L << 20));
    }
    assertThat(threadsEnd).as("threads").isLessThan(threadsStart + 32);
  }

  private ControlPlane startPlane(int onPort) {
    ControlPlane started =
        ControlPlane.builder(provider, TranslationFunction.of(MeshConfig.defaults()))
            .server(
                XdsServerConfig.builder()
                    .bindAddress("127.0.0.1")
                    .port(onPort)
                    .shutdownGrace(Duration.ofMillis(200))
                    .build())
            .loop(
                ControlLoopConfig.builder()
                    .refreshInterval(Duration.ofMinutes(10))
                    .changeCoalescing(Duration.ofMillis(5))
                    .drainPeriod(DRAIN)
                    // The guard has its own tests; here every removal goes through its drain.
                    .massRemovalFraction(1.0)
                    .build())
            .start();
    Await.until(WAIT, () -> started.published().isPresent(), "the first publish");
    return started;
  }

  private Op current;

  private Set<String> servingNames() {
    Set<String> names = new java.util.TreeSet<>();
    for (InstanceStatus status : plane.published().orElseThrow().instances()) {
      if (status.state() == InstanceStatus.State.SERVING) {
        names.add(status.instance().name());
      }
    }
    return names;
  }

  private boolean apply(Op op) throws Exception {
    current = op;
    String service = SERVICES.get(random.nextInt(SERVICES.size()));
    List<Vm> serving = servingIn(service);
    switch (op) {
      case ADD -> {
        if (vms.size() >= 12) {
          return false;
        }
        addVm(service);
      }
      case REMOVE -> {
        if (serving.size() < 2) {
          return false;
        }
        Vm vm = pick(serving);
        vms.remove(vm.name);
        retire(vm.backend, vm.service, vm.name);
      }
      case RETAG -> {
        if (serving.size() < 2) {
          return false;
        }
        Vm vm = pick(serving);
        retire(vm.backend, vm.service, vm.name);
        vm.service = other(service);
        rejoin(vm.backend, vm.service);
      }
      case STOP -> {
        if (serving.size() < 2) {
          return false;
        }
        Vm vm = pick(serving);
        vm.running = false;
        retire(vm.backend, vm.service, vm.name);
      }
      case START -> {
        List<Vm> stopped = vms.values().stream().filter(v -> !v.running).toList();
        if (stopped.isEmpty()) {
          return false;
        }
        Vm vm = pick(stopped);
        // A started VM serves from a fresh server: its old one stays frozen at its baseline.
        vm.backend = backend(vm.name);
        vm.running = true;
      }
      case MOVE_ADDRESS -> {
        if (serving.isEmpty()) {
          return false;
        }
        Vm vm = pick(serving);
        retire(vm.backend, vm.service, vm.name);
        vm.backend = backend(vm.name);
      }
      case SCALE_TO_ZERO_AND_BACK -> {
        scaleToZeroAndBack(service);
        return true;
      }
      case BAD_TAG -> {
        Vm vm = new Vm("bad-" + (++vmNumber), service, backend("bad-" + vmNumber));
        vm.badTag = true;
        vms.put(vm.name, vm);
        publish();
        assertThat(plane.published().orElseThrow().problems())
            .anySatisfy(p -> assertThat(p.message()).contains(vm.name, "mesh-port", "http"));
        vms.remove(vm.name);
      }
      case PROVIDER_FAILURE -> {
        provider.fail(new DiscoveryException("throttled", "chaos: ARM answered 429"));
        Set<String> servingBefore = servingNames();
        for (int i = 0; i < 3; i++) {
          assertThat(plane.loop().refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);
        }
        // Fail static: nothing that serves stops; a drain of an earlier step may still end
        // meanwhile (drains end from the last good discovery), so the version may move.
        assertThat(servingNames())
            .as("serving through a provider failure")
            .isEqualTo(servingBefore);
        provider.recover();
      }
      case RESTART -> {
        plane.close();
        plane = startPlane(port);
      }
    }
    publish();
    return true;
  }

  private void scaleToZeroAndBack(String service) throws Exception {
    // No serving instance means failed calls by design: that service's load pauses meanwhile.
    collect(service);
    for (Vm vm : List.copyOf(vms.values())) {
      if (vm.service.equals(service)) {
        vms.remove(vm.name);
        if (vm.running) {
          retire(vm.backend, vm.service, vm.name);
        }
      }
    }
    publish();
    Await.until(
        WAIT,
        () -> {
          publish();
          return plane.published().orElseThrow().instances().stream()
              .noneMatch(s -> s.endpoints().stream().anyMatch(e -> e.service().equals(service)));
        },
        service + " to be empty");
    addVm(service);
    addVm(service);
    publish();
    try {
      awaitFirstCall(channels.get(service));
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; published "
              + plane.published().orElseThrow().resources().versions()
              + "; nodes "
              + plane.nodes(),
          e);
    }
    startLoad(service);
  }

  private void addVm(String service) {
    String name = "vm-" + (++vmNumber);
    vms.put(name, new Vm(name, service, backend(name)));
  }

  private Backend backend(String name) {
    Backend backend = Backend.start(name);
    closeLast.add(backend);
    return backend;
  }

  private void retire(Backend backend, String service, String vm) {
    retired.add(
        new Retired(
            backend,
            service,
            vm,
            current + " #" + (counts.values().stream().mapToInt(i -> i).sum() + 1)));
  }

  /**
   * A backend retagged back into a service it left serves it again: checked up to now, its calls
   * for that service are legitimate from here on.
   */
  private void rejoin(Backend backend, String service) {
    for (Retired r : List.copyOf(retired)) {
      if (r.backend == backend && r.service.equals(service)) {
        if (r.baseline >= 0) {
          assertThat(backend.calls(service))
              .as("calls to %s for %s after its drain ended (%s)", r.vm, service, r.cause)
              .isEqualTo(r.baseline);
        }
        retired.remove(r);
      }
    }
  }

  private List<Vm> servingIn(String service) {
    return vms.values().stream()
        .filter(vm -> vm.running && !vm.badTag && vm.service.equals(service))
        .toList();
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static String other(String service) {
    return service.equals("red") ? "blue" : "red";
  }

  private List<Instance> instances() {
    return vms.values().stream().map(Vm::instance).toList();
  }

  private void publish() {
    provider.set(instances());
    if (plane.loop().refreshNow() == RefreshOutcome.PUBLISHED) {
      publishes++;
    }
  }

  /** Waits until both raw streams hold exactly the published endpoints, and times it. */
  private void converge(List<HoldingAdsClient> streams) {
    long start = System.nanoTime();
    Await.until(
        CONVERGE.plus(DRAIN).multipliedBy(2).plus(WAIT),
        () -> {
          Map<String, ClusterLoadAssignment> published = publishedEndpoints();
          return streams.stream().allMatch(s -> s.endpoints().equals(published));
        },
        "every stream to hold the published endpoints");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    convergenceMillis.add(millis);
    if (BOUNDS) {
      assertThat(Duration.ofMillis(millis))
          .as("time for every stream to hold what was published")
          .isLessThanOrEqualTo(CONVERGE);
    }
  }

  private Map<String, ClusterLoadAssignment> publishedEndpoints() {
    return plane.published().orElseThrow().resources().endpoints().stream()
        .collect(Collectors.toMap(ClusterLoadAssignment::getClusterName, cla -> cla, (a, b) -> a));
  }

  /**
   * Freezes the calls of every retired backend whose removal is published and reached the clients,
   * and checks that no frozen one got a call for its old service since.
   */
  private void checkRetired() {
    List<String> published =
        plane.published().orElseThrow().instances().stream()
            .filter(s -> s.state() != InstanceStatus.State.EXCLUDED)
            .map(s -> s.instance().id())
            .toList();
    boolean newlyFrozen = false;
    for (Retired r : retired) {
      if (r.baseline < 0 && !stillServes(r, published)) {
        newlyFrozen = true;
      }
    }
    if (newlyFrozen) {
      // The removal reaches the clients, and what they picked before finishes first.
      Await.until(
          WAIT,
          () -> {
            // Connected (after a restart a client takes a moment to come back) and in step.
            List<NodeStatus> clients =
                plane.nodes().stream()
                    .filter(n -> n.nodeId().startsWith("chaos-grpc-"))
                    .filter(n -> n.connectedSince().isPresent())
                    .toList();
            return clients.size() == SERVICES.size()
                && clients.stream().allMatch(n -> n.sync() == NodeStatus.SyncState.SYNCED);
          },
          "the gRPC clients to take the removal");
      // grpc-java ACKs an update before its balancer swaps the picker in; the calls of a few more
      // rounds let the new picker take over before the count is frozen.
      for (LoadGenerator load : loads.values()) {
        load.awaitCallsInFlightDone();
        load.awaitMoreSuccesses(20);
        load.awaitCallsInFlightDone();
      }
      for (Retired r : retired) {
        if (r.baseline < 0 && !stillServes(r, published)) {
          r.baseline = r.backend.calls(r.service);
        }
      }
    }
    for (Retired r : retired) {
      if (r.baseline >= 0) {
        assertThat(r.backend.calls(r.service))
            .as(
                "calls to %s (%s) for %s after its drain ended (%s)",
                r.vm, r.backend.port(), r.service, r.cause)
            .isEqualTo(r.baseline);
      }
    }
  }

  /** Whether the retired backend's address is still an endpoint of its old service. */
  private boolean stillServes(Retired r, List<String> publishedIds) {
    return plane.published().orElseThrow().resources().endpoints().stream()
        .filter(cla -> cla.getClusterName().equals(r.service))
        .flatMap(cla -> cla.getEndpointsList().stream())
        .flatMap(locality -> locality.getLbEndpointsList().stream())
        .anyMatch(
            e ->
                e.getEndpoint().getAddress().getSocketAddress().getPortValue() == r.backend.port());
  }

  private void startLoad(String service) {
    awaitFirstCall(channels.get(service));
    loads.put(service, new LoadGenerator(channels.get(service), LOAD_THREADS_PER_SERVICE));
  }

  private void collect(String service) {
    LoadGenerator load = loads.remove(service);
    load.close();
    succeeded += load.succeeded();
    failed += load.failed();
    failures.addAll(load.failures());
  }

  private void collectLoads() {
    for (String service : List.copyOf(loads.keySet())) {
      collect(service);
    }
  }

  private static void awaitFirstCall(ManagedChannel channel) {
    XdsClientChannels.awaitFirstCall(channel, WAIT);
  }

  /**
   * Used heap: after a forced GC when the bounds are asserted; otherwise what the JVM's own last
   * collection of each heap pool left, a figure for the report that forces nothing.
   */
  private static long usedHeap() {
    if (BOUNDS) {
      System.gc();
      Runtime runtime = Runtime.getRuntime();
      return runtime.totalMemory() - runtime.freeMemory();
    }
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getCollectionUsage)
        .filter(java.util.Objects::nonNull)
        .mapToLong(MemoryUsage::getUsed)
        .sum();
  }
}
