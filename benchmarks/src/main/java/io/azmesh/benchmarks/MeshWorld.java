package io.azmesh.benchmarks;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A synthetic but realistic inventory: instances spread over services, zones and power states. */
final class MeshWorld {
  private MeshWorld() {}

  /**
   * {@code instances} instances over {@code services} services in three zones; one in fifty is
   * stopped, one in ten has a weight, one in twenty a port tag. Seeded: the same every run.
   */
  static List<Instance> of(int instances, int services, long seed) {
    Random random = new Random(seed);
    List<Instance> world = new ArrayList<>(instances);
    for (int i = 0; i < instances; i++) {
      world.add(instance(i, "svc-" + random.nextInt(services), random));
    }
    return world;
  }

  /** The instance numbered {@code index}, unique in id and address. */
  static Instance instance(int index, String service, Random random) {
    Map<String, String> tags = new java.util.TreeMap<>();
    tags.put("mesh-service", service);
    if (random.nextInt(10) == 0) {
      tags.put("mesh-weight", Integer.toString(1 + random.nextInt(128)));
    }
    if (random.nextInt(20) == 0) {
      tags.put("mesh-port", "8080");
    }
    String ip = "10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + "." + (index & 255);
    return Instance.builder("vm-" + index, "vm-" + index, ip)
        .location("westeurope")
        .zone(Integer.toString(1 + random.nextInt(3)))
        .powerState(random.nextInt(50) == 0 ? PowerState.STOPPED : PowerState.RUNNING)
        .tags(tags)
        .build();
  }
}
