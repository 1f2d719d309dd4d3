package io.azmesh.benchmarks;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.Translator;
import io.azmesh.xds.translator.XdsValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
 * What the control plane computes for one single-endpoint change with the file provider: the
 * inventory rewritten with one IP changed (or back), then discover (read + parse), translate (with
 * the content hashes) and validate, by a provider, translator and validator that live across
 * changes as in {@code meshctl serve}. Settle time zero, so no waiting is measured; serving the
 * result to streams is not included.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SingleEndpointChangeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SingleEndpointChangeBenchmark {

  @Param({"10000"})
  public int instances;

  @Param({"500"})
  public int services;

  private final MeshConfig config = MeshConfig.defaults();
  private final Translator translator = new Translator();
  private final XdsValidator validator = new XdsValidator();
  private final String[] texts = new String[2];
  private Path dir;
  private Path inventory;
  private FileDiscoveryProvider provider;
  private boolean flip;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("azmesh-change");
    inventory = dir.resolve("inventory.yaml");
    texts[0] = InventoryText.yaml(MeshWorld.of(instances, services, 42));
    texts[1] = texts[0].replaceFirst("private_ip: 10\\.0\\.0\\.7\n", "private_ip: 10.200.0.7\n");
    if (texts[1].equals(texts[0])) {
      throw new IllegalStateException("the edit changed nothing");
    }
    Files.writeString(inventory, texts[0]);
    provider = FileDiscoveryProvider.builder(inventory).settle(Duration.ZERO).build();
    validator.validate(
        translator.translate(config, provider.discover().instances(), Set.of()).resources());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    provider.close();
    Files.deleteIfExists(inventory);
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public List<String> discoverTranslateValidate() throws Exception {
    flip = !flip;
    Files.writeString(inventory, texts[flip ? 1 : 0]);
    Discovery discovery = provider.discover();
    Translation translation = translator.translate(config, discovery.instances(), Set.of());
    List<String> violations = validator.validate(translation.resources());
    if (!violations.isEmpty()) {
      throw new IllegalStateException(violations.toString());
    }
    return violations;
  }
}
