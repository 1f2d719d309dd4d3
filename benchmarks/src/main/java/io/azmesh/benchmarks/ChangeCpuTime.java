package io.azmesh.benchmarks;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.Translator;
import io.azmesh.xds.translator.XdsValidator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Thread CPU time of what the control plane does for one single-endpoint change with the file
 * provider at 10,000 instances / 500 services: re-read and parse the inventory, translate,
 * validate, and (inside translate) hash. Each phase is timed on its own, then the whole change. The
 * inventory is replaced by rename, alternating between two files that differ in one IP.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.azmesh.benchmarks.ChangeCpuTime [rounds]
 * </pre>
 */
public final class ChangeCpuTime {
  private static final int INSTANCES = 10_000;
  private static final int SERVICES = 500;

  private ChangeCpuTime() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("azmesh-change");
    Path inventory = dir.resolve("inventory.yaml");
    List<Instance> world = MeshWorld.of(INSTANCES, SERVICES, 42);
    List<Instance> changed = new ArrayList<>(world);
    Instance moved = changed.get(INSTANCES / 2);
    changed.set(
        INSTANCES / 2,
        Instance.builder(moved.id(), moved.name(), "10.200.0.1")
            .location(moved.location().orElse(null))
            .zone(moved.zone().orElse(null))
            .powerState(moved.powerState())
            .tags(moved.tags())
            .build());
    String[] texts = {InventoryText.yaml(world), InventoryText.yaml(changed)};
    Files.writeString(inventory, texts[0]);
    System.out.printf(
        Locale.ROOT,
        "inventory: %d instances, %d services, %,d bytes; %d rounds%n",
        INSTANCES,
        SERVICES,
        Files.size(inventory),
        rounds);

    FileDiscoveryProvider provider =
        FileDiscoveryProvider.of(inventory, Clock.systemUTC(), Duration.ofSeconds(1));
    Translator translator = new Translator();
    XdsValidator validator = new XdsValidator();
    MeshConfig config = MeshConfig.defaults();
    List<Discovery> discoveries = new ArrayList<>();
    List<Translation> translations = new ArrayList<>();
    long[] parse = new long[1];
    long[] translate = new long[1];
    long[] validate = new long[1];
    long[] hash = new long[1];
    long[] total = new long[1];
    for (int round = -rounds; round < rounds; round++) {
      boolean measured = round >= 0;
      String text = texts[Math.floorMod(round, 2)];
      Path next = dir.resolve("next.yaml");
      Files.writeString(next, text);
      Files.move(next, inventory, StandardCopyOption.REPLACE_EXISTING);

      long t0 = threads.getCurrentThreadCpuTime();
      Discovery discovery = provider.discover();
      long t1 = threads.getCurrentThreadCpuTime();
      Translation translation = translator.translate(config, discovery.instances(), Set.of());
      long t2 = threads.getCurrentThreadCpuTime();
      List<String> violations = validator.validate(translation.resources());
      long t3 = threads.getCurrentThreadCpuTime();
      XdsResources resources = translation.resources();
      XdsResources rehashed =
          XdsResources.of(
              resources.clusters(),
              resources.endpoints(),
              resources.listeners(),
              resources.routes());
      long t4 = threads.getCurrentThreadCpuTime();
      if (!violations.isEmpty() || !rehashed.versions().equals(resources.versions())) {
        throw new IllegalStateException("invalid or unstable translation: " + violations);
      }
      if (measured) {
        parse[0] += t1 - t0;
        translate[0] += t2 - t1;
        validate[0] += t3 - t2;
        hash[0] += t4 - t3;
        total[0] += t3 - t0;
      }
      discoveries.add(discovery);
      translations.add(translation);
      if (discoveries.size() > 2) {
        discoveries.remove(0);
        translations.remove(0);
      }
    }
    System.out.println("per single-endpoint change, thread CPU ms (mean over rounds):");
    System.out.printf(Locale.ROOT, "  read+parse          %8.2f%n", parse[0] / 1e6 / rounds);
    System.out.printf(Locale.ROOT, "  translate (+hash)   %8.2f%n", translate[0] / 1e6 / rounds);
    System.out.printf(Locale.ROOT, "  validate            %8.2f%n", validate[0] / 1e6 / rounds);
    System.out.printf(Locale.ROOT, "  full re-hash, ref.  %8.2f%n", hash[0] / 1e6 / rounds);
    System.out.printf(Locale.ROOT, "  change total        %8.2f%n", total[0] / 1e6 / rounds);
  }
}
