package io.azmesh.benchmarks;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.discovery.file.InventoryParseStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The file provider's {@code discover()} on a YAML inventory in each {@link InventoryStyle} (about
 * 190 bytes a VM, {@link InventoryText}): a first read that parses the whole file (and checks its
 * entries for reuse), and a read after an edit that changed one instance's IP (the file is
 * rewritten in place between operations, which is inside the measured time; settle time zero, so no
 * waiting is measured). The trial fails if any edit took the full parse: the numbers are always
 * those of the incremental path.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar InventoryParseBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InventoryParseBenchmark {

  @Param({"1000", "10000"})
  public int instances;

  @Param({"BLOCK", "FLOW", "COMMENTED"})
  public InventoryStyle style;

  private Path dir;
  private Path inventory;
  private final String[] texts = new String[2];
  private FileDiscoveryProvider reused;
  private boolean flip;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("azmesh-parse");
    inventory = dir.resolve("inventory.yaml");
    texts[0] = InventoryText.yaml(MeshWorld.of(instances, instances / 20, 42), style);
    // The same world with one private IP changed: a single-endpoint edit.
    texts[1] = texts[0].replaceFirst("private_ip: 10\\.0\\.0\\.7(?!\\d)", "private_ip: 10.200.0.7");
    if (texts[1].equals(texts[0])) {
      throw new IllegalStateException("the edit changed nothing");
    }
    Files.writeString(inventory, texts[0]);
    reused = provider();
    reused.discover();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    InventoryParseStats stats = reused.parseStats();
    System.out.println("parse stats of the edited provider: " + stats);
    reused.close();
    Files.deleteIfExists(inventory);
    Files.deleteIfExists(dir);
    if (stats.fullParses() != 1) {
      throw new IllegalStateException("edits took the full parse: " + stats);
    }
  }

  private FileDiscoveryProvider provider() {
    return FileDiscoveryProvider.builder(inventory).settle(Duration.ZERO).build();
  }

  /** A provider's first read: the whole file parsed. */
  @Benchmark
  public Discovery parseWholeFile() throws Exception {
    try (FileDiscoveryProvider fresh = provider()) {
      return fresh.discover();
    }
  }

  /** Rewrite the file with one IP changed (or back), then read it with the long-lived provider. */
  @Benchmark
  public Discovery parseAfterOneInstanceChanged() throws Exception {
    flip = !flip;
    Files.writeString(inventory, texts[flip ? 1 : 0]);
    return reused.discover();
  }
}
