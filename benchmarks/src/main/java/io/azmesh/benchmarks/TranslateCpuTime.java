package io.azmesh.benchmarks;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translator;
import io.azmesh.xds.translator.XdsValidator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CPU time (not wall time) per full translation and validation (fresh translator and validator,
 * nothing reused from a previous run), measured with the thread CPU clock. On a machine shared with
 * other busy processes wall-clock benchmarks mostly measure waiting for a core; thread CPU time is
 * what one translation costs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.azmesh.benchmarks.TranslateCpuTime
 * </pre>
 */
public final class TranslateCpuTime {
  private static final int WARMUP_ROUNDS = 30;
  private static final int MEASURED_ROUNDS = 30;

  private TranslateCpuTime() {}

  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Translator translator = new Translator();
    MeshConfig config = MeshConfig.defaults();
    System.out.println("instances services  translate-cpu-ms  validate-cpu-ms");
    for (int instances : new int[] {1_000, 10_000}) {
      for (int services : new int[] {100, 500}) {
        List<Instance> world = MeshWorld.of(instances, services, 42);
        var resources = translator.translate(config, world, Set.of()).resources();
        double translate =
            cpuMillisPerOp(threads, () -> new Translator().translate(config, world, Set.of()));
        double validate = cpuMillisPerOp(threads, () -> new XdsValidator().validate(resources));
        System.out.printf(
            Locale.ROOT, "%9d %8d  %16.2f  %15.2f%n", instances, services, translate, validate);
      }
    }
  }

  /** Median-free but robust enough: the mean over rounds after a warm-up that lets JIT settle. */
  private static double cpuMillisPerOp(ThreadMXBean threads, Supplier<?> op) {
    Object sink = null;
    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      sink = op.get();
    }
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < MEASURED_ROUNDS; i++) {
      sink = op.get();
    }
    long elapsed = threads.getCurrentThreadCpuTime() - start;
    if (sink == null) {
      throw new IllegalStateException("benchmarked operation returned nothing");
    }
    return elapsed / 1e6 / MEASURED_ROUNDS;
  }
}
