package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import java.util.Map;

/** Short ways to make instances in tests. */
final class TestInstances {
  private TestInstances() {}

  /** A running instance named {@code name} in westeurope zone 1 with the given tags. */
  static Instance.Builder vm(String name, String privateIp, Map<String, String> tags) {
    return Instance.builder(name, name, privateIp)
        .location("westeurope")
        .zone("1")
        .powerState(PowerState.RUNNING)
        .tags(tags);
  }

  /** A running instance of {@code service}. */
  static Instance member(String name, String privateIp, String service) {
    return vm(name, privateIp, Map.of("mesh-service", service)).build();
  }
}
