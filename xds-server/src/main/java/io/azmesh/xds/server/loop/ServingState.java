package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the last published snapshot served, remembered between refreshes (and across restarts) so
 * that endpoints can be drained before removal, mass removals held, and empty services kept.
 *
 * <p>Membership is per (instance, service): an instance that leaves one service (retagged, moved)
 * drains from it and counts for its guard even while it serves in another.
 *
 * <p>The maps are hash maps with no order: a refresh looks up every endpoint of the fleet, and a
 * sorted map made that cost grow with the fleet's size times the log of it (string comparisons were
 * the top of the loop's profile). Whatever is shown or written sorts what it shows.
 *
 * @param serving endpoints published SERVING, with the instance as it was when it last served there
 * @param draining endpoints published DRAINING, with the instance as it last served and since when
 * @param holds mass removals the guard is holding, per service
 * @param emptySince services whose last instance left, kept with no endpoints since then
 * @param services every service (cluster) of the last published snapshot
 */
record ServingState(
    Map<Member, Instance> serving,
    Map<Member, Drain> draining,
    Map<String, Hold> holds,
    Map<String, Instant> emptySince,
    Set<String> services) {

  static final ServingState EMPTY =
      new ServingState(Map.of(), Map.of(), Map.of(), Map.of(), Set.of());

  ServingState {
    serving = copy(serving, "serving");
    draining = copy(draining, "draining");
    holds = copy(holds, "holds");
    emptySince = copy(emptySince, "emptySince");
    services = Collections.unmodifiableSortedSet(new TreeSet<>(services));
    for (Member member : draining.keySet()) {
      if (serving.containsKey(member)) {
        throw new IllegalArgumentException(member + " is both serving and draining");
      }
    }
  }

  /**
   * One instance in one service.
   *
   * @param instanceId the instance's id
   * @param service the service it is an endpoint of
   */
  record Member(String instanceId, String service) implements Comparable<Member> {
    private static final Comparator<Member> ORDER =
        Comparator.comparing(Member::service).thenComparing(Member::instanceId);

    Member {
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(service, "service");
    }

    @Override
    public int compareTo(Member other) {
      return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
      return instanceId + " in " + service;
    }
  }

  /**
   * An endpoint being drained.
   *
   * @param instance the instance as it was when it last served in the service
   * @param since when it started draining
   */
  record Drain(Instance instance, Instant since) {
    Drain {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(since, "since");
    }
  }

  /**
   * A mass removal the guard is holding: one proposal, the exact set of the service's endpoints a
   * discovery would remove. A discovery that proposes another set starts another hold, so only
   * discoveries in a row that agree on the same removal confirm it; a flaky source returning a
   * different part of a service each time confirms nothing.
   *
   * @param since the discovery that first proposed this removal
   * @param sightings discoveries in a row that proposed this same removal
   * @param removing the ids of the instances this removal takes out of the service
   */
  record Hold(Instant since, int sightings, Set<String> removing) {
    Hold {
      Objects.requireNonNull(since, "since");
      if (sightings < 0) {
        throw new IllegalArgumentException("sightings (" + sightings + ") must not be negative");
      }
      removing = Collections.unmodifiableSortedSet(new TreeSet<>(removing));
    }
  }

  /** Serving endpoints per service. */
  Map<String, Integer> servingPerService() {
    Map<String, Integer> counts = new HashMap<>();
    serving.keySet().forEach(m -> counts.merge(m.service(), 1, Integer::sum));
    return counts;
  }

  /** Services with at least one endpoint, serving or draining. */
  Set<String> servicesWithEndpoints() {
    Set<String> with = new HashSet<>();
    serving.keySet().forEach(m -> with.add(m.service()));
    draining.keySet().forEach(m -> with.add(m.service()));
    return with;
  }

  /** When the next draining endpoint is due for removal. */
  Optional<Instant> nextDrainDeadline(Duration drainPeriod) {
    return draining.values().stream()
        .map(Drain::since)
        .min(Instant::compareTo)
        .map(t -> t.plus(drainPeriod));
  }

  private static <K, V> Map<K, V> copy(Map<K, V> map, String name) {
    Objects.requireNonNull(map, name);
    return Collections.unmodifiableMap(new HashMap<>(map));
  }
}
