package io.azmesh.benchmarks;

import io.azmesh.discovery.file.FileDiscoveryProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Thread CPU time of the file provider's {@code discover()} after a one-instance edit, for an
 * inventory in each {@link InventoryStyle}: read, compare, parse what changed. CPU time, not wall
 * time, so the figures hold on a shared machine. The inventory is replaced by rename, alternating
 * between two texts that differ in one private IP; settle time zero.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.azmesh.benchmarks.InventoryEditCpuTime [instances] [rounds]
 * </pre>
 */
public final class InventoryEditCpuTime {
  private InventoryEditCpuTime() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("azmesh-edit");
    System.out.printf(
        Locale.ROOT,
        "%d instances, %d warm-up and %d measured edits; thread CPU ms of discover()%n",
        instances,
        rounds,
        rounds);
    System.out.println("| style | bytes | first read | edit mean | edit p50 | edit max |");
    for (InventoryStyle style : InventoryStyle.values()) {
      String[] texts = new String[2];
      texts[0] =
          InventoryText.yaml(MeshWorld.of(instances, Math.max(1, instances / 20), 42), style);
      texts[1] =
          texts[0].replaceFirst("private_ip: 10\\.0\\.0\\.7(?!\\d)", "private_ip: 10.200.0.7");
      Path inventory = dir.resolve(style + ".yaml");
      Files.writeString(inventory, texts[0]);
      long[] edits = new long[rounds];
      long first;
      try (FileDiscoveryProvider provider =
          FileDiscoveryProvider.builder(inventory).settle(Duration.ZERO).build()) {
        long t0 = threads.getCurrentThreadCpuTime();
        provider.discover();
        first = threads.getCurrentThreadCpuTime() - t0;
        for (int round = -rounds; round < rounds; round++) {
          Path next = dir.resolve("next.yaml");
          Files.writeString(next, texts[Math.floorMod(round + 1, 2)]);
          Files.move(next, inventory, StandardCopyOption.REPLACE_EXISTING);
          long start = threads.getCurrentThreadCpuTime();
          provider.discover();
          long spent = threads.getCurrentThreadCpuTime() - start;
          if (round >= 0) {
            edits[round] = spent;
          }
        }
        System.err.println(style + ": " + provider.parseStats());
      }
      Arrays.sort(edits);
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %.1f | %.1f | %.1f | %.1f |%n",
          style.name().toLowerCase(Locale.ROOT),
          texts[0].length(),
          first / 1e6,
          Arrays.stream(edits).average().orElse(0) / 1e6,
          edits[rounds / 2] / 1e6,
          edits[rounds - 1] / 1e6);
      Files.delete(inventory);
    }
    Files.delete(dir);
  }
}
