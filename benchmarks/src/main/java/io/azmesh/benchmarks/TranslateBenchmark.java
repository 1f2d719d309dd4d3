package io.azmesh.benchmarks;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.Translator;
import io.azmesh.xds.translator.XdsValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Translation cost with the default mesh config (every service adopted, one gateway routing to
 * all): a full translation and a full validation (fresh translator and validator, nothing to
 * reuse), and a translation after an endpoint-only change by a translator that translated the
 * previous world (what the control loop does).
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TranslateBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TranslateBenchmark {

  @Param({"1000", "10000"})
  public int instances;

  @Param({"100", "500"})
  public int services;

  private final Translator translator = new Translator();
  private final MeshConfig config = MeshConfig.defaults();
  private List<Instance> world;
  private List<Instance> changedWorld;
  private Translation translation;
  private boolean flip;

  @Setup
  public void setUp() {
    world = MeshWorld.of(instances, services, 42);
    // Scale-out and scale-in at once: 1% of instances replaced by new ones in the same services.
    changedWorld = new ArrayList<>(world);
    Random random = new Random(7);
    for (int i = 0; i < instances / 100; i++) {
      int victim = random.nextInt(changedWorld.size());
      String service = changedWorld.get(victim).tags().get("mesh-service");
      changedWorld.set(victim, MeshWorld.instance(instances + i, service, random));
    }
    translation = translator.translate(config, world, Set.of());
  }

  /** Everything from instances to versioned resources, with nothing from a previous run. */
  @Benchmark
  public Translation translateFull() {
    return new Translator().translate(config, world, Set.of());
  }

  /**
   * A refresh where only endpoints changed (1% of instances replaced), alternating between the two
   * worlds, by a translator that reuses what the change did not touch.
   */
  @Benchmark
  public Translation translateEndpointChange() {
    flip = !flip;
    return translator.translate(config, flip ? changedWorld : world, Set.of());
  }

  /** Envoy PGV rules, packed configs and grpc-java rules over a full snapshot, from scratch. */
  @Benchmark
  public List<String> validate() {
    return new XdsValidator().validate(translation.resources());
  }
}
