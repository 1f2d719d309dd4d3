package io.azmesh.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.xds.server.loop.ControlLoop;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.XdsServer;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of one single-endpoint change through the whole control loop of {@code meshctl serve} at
 * a chosen fleet size (10,000 instances / 500 services by default), with no xDS stream connected:
 * discovery (re-read and parse the inventory), planning drains and holds, translation, validation,
 * events, the publish into the xDS server's serving cache, and the state file. {@link
 * ChangeCpuTime} times the parse, translate and validate phases alone; this is what they cost
 * inside the loop, and what else the loop does.
 *
 * <p>Each round replaces the inventory by rename with a copy that differs in one private IP
 * (alternating between two) and runs one refresh on this thread. "Loop thread" is this thread's CPU
 * for the refresh; "process" is the whole JVM's CPU from the rename until 500 ms later, which adds
 * what other threads do for the change (state file, GC, JIT).
 *
 * <p>{@code whole} hands the loop each discovery without the provider's changes, as a provider that
 * reports whole worlds (the Azure provider's refresh) does: the loop then finds the changes by
 * comparing the discovery with the last one.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.azmesh.benchmarks.LoopChangeCpuTime \
 *     [rounds] [instances] [block|flow|commented] [reported|whole]
 * </pre>
 */
public final class LoopChangeCpuTime {
  private LoopChangeCpuTime() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    InventoryStyle style =
        args.length > 2
            ? InventoryStyle.valueOf(args[2].toUpperCase(Locale.ROOT))
            : InventoryStyle.BLOCK;
    boolean whole = args.length > 3 && args[3].equals("whole");
    // 20 instances a service, as the fleet (10,000 / 500).
    int services = Math.max(1, instances / 20);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path dir = Files.createTempDirectory("azmesh-loop-change");
    Path inventory = dir.resolve("inventory.yaml");
    List<Instance> world = MeshWorld.of(instances, services, 42);
    List<Instance> changed = new ArrayList<>(world);
    Instance moved = changed.get(instances / 2);
    changed.set(
        instances / 2,
        Instance.builder(moved.id(), moved.name(), "10.200.0.1")
            .location(moved.location().orElse(null))
            .zone(moved.zone().orElse(null))
            .powerState(moved.powerState())
            .tags(moved.tags())
            .build());
    String[] texts = {InventoryText.yaml(world, style), InventoryText.yaml(changed, style)};
    Files.writeString(inventory, texts[0]);
    System.out.printf(
        Locale.ROOT,
        "inventory: %d instances, %d services, %s style, %,d bytes; %d rounds; %s; state in %s%n",
        instances,
        services,
        style.name().toLowerCase(Locale.ROOT),
        Files.size(inventory),
        rounds,
        whole ? "whole worlds" : "changes reported",
        dir);

    Clock clock = Clock.systemUTC();
    double[] loop = new double[rounds];
    double[] process = new double[rounds];
    try (FileDiscoveryProvider provider =
            FileDiscoveryProvider.builder(inventory).clock(clock).settle(Duration.ZERO).build();
        XdsServer server =
            XdsServer.start(
                XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build(), clock);
        ControlLoop loop0 =
            ControlLoop.builder(
                    whole ? wholeWorlds(provider) : provider,
                    TranslationFunction.of(MeshConfig.defaults()),
                    server)
                .config(ControlLoopConfig.builder().drainPeriod(Duration.ofHours(1)).build())
                .stateDirectory(dir.resolve("state"))
                .build()) {
      loop0.refreshNow();
      for (int round = -rounds; round < rounds; round++) {
        String text = texts[Math.floorMod(round + 1, 2)];
        Path next = dir.resolve("next.yaml");
        Files.writeString(next, text);
        long p0 = os.getProcessCpuTime();
        Files.move(next, inventory, StandardCopyOption.REPLACE_EXISTING);
        long t0 = threads.getCurrentThreadCpuTime();
        RefreshOutcome outcome = loop0.refreshNow();
        long t1 = threads.getCurrentThreadCpuTime();
        Thread.sleep(500);
        long p1 = os.getProcessCpuTime();
        if (outcome != RefreshOutcome.PUBLISHED) {
          throw new IllegalStateException("round " + round + " was " + outcome);
        }
        if (round >= 0) {
          loop[round] = (t1 - t0) / 1e6;
          process[round] = (p1 - p0) / 1e6;
        }
      }
    }
    System.out.println("per single-endpoint change, CPU ms over " + rounds + " rounds:");
    print("loop thread", loop);
    print("process (500 ms)", process);
  }

  /** The provider's discoveries without what changed: whole worlds. */
  private static DiscoveryProvider wholeWorlds(DiscoveryProvider provider) {
    return new DiscoveryProvider() {
      @Override
      public String name() {
        return provider.name();
      }

      @Override
      public Discovery discover() throws DiscoveryException {
        Discovery d = provider.discover();
        return new Discovery(d.instances(), d.problems(), d.observedAt(), d.stats());
      }
    };
  }

  private static void print(String what, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "  %-18s mean %8.2f  p50 %8.2f  max %8.2f%n",
        what,
        Arrays.stream(values).average().orElse(0),
        sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
  }
}
