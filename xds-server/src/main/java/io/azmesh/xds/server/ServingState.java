package io.azmesh.xds.server;

import io.azmesh.discovery.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the last published snapshot served, remembered between refreshes so that instances can be
 * drained before removal and mass removals held.
 *
 * @param published instances published SERVING or DRAINING, by id, as they were when last serving
 * @param drainingSince when each draining instance started draining, by id
 * @param servingInstances instances published SERVING, counted per service
 * @param heldSightings consecutive refreshes that proposed a mass removal, per service
 */
record ServingState(
    Map<String, Served> published,
    Map<String, Instant> drainingSince,
    Map<String, Integer> servingInstances,
    Map<String, Integer> heldSightings) {

  static final ServingState EMPTY = new ServingState(Map.of(), Map.of(), Map.of(), Map.of());

  ServingState {
    published = sorted(published, "published");
    drainingSince = sorted(drainingSince, "drainingSince");
    servingInstances = sorted(servingInstances, "servingInstances");
    heldSightings = sorted(heldSightings, "heldSightings");
    for (String id : drainingSince.keySet()) {
      if (!published.containsKey(id)) {
        throw new IllegalArgumentException("draining instance '" + id + "' is not published");
      }
    }
  }

  /**
   * A published instance and the services it is an endpoint of.
   *
   * @param instance the instance as it was when it last served
   * @param services the services it served in
   */
  record Served(Instance instance, Set<String> services) {
    Served {
      Objects.requireNonNull(instance, "instance");
      services = Set.copyOf(services);
    }
  }

  /** When the next draining instance is due for removal. */
  Optional<Instant> nextDrainDeadline(Duration drainPeriod) {
    return drainingSince.values().stream().min(Instant::compareTo).map(t -> t.plus(drainPeriod));
  }

  private static <V> Map<String, V> sorted(Map<String, V> map, String name) {
    Objects.requireNonNull(map, name);
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }
}
