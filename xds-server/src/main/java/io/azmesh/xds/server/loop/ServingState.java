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
 * <p>Serving endpoints are kept by service, each service's map immutable and shared from one state
 * to the next while the service does not change: a plan that changes one service copies one small
 * map and the map of services, not the fleet, and comparing two states compares the unchanged
 * services by identity. The flat {@link #serving()} view is built on first use (the state file, a
 * full recompute). The maps are hash maps with no order; whatever is shown or written sorts what it
 * shows.
 */
final class ServingState {

  static final ServingState EMPTY =
      new ServingState(Map.of(), Map.of(), Map.of(), Map.of(), Set.of());

  private final Map<String, Map<String, Instance>> servingByService;
  private final Map<Member, Drain> draining;
  private final Map<String, Hold> holds;
  private final Map<String, Instant> emptySince;
  private final Set<String> services;
  private Map<Member, Instance> serving;
  private Map<String, Integer> drainingPerService;

  /**
   * @param serving endpoints published SERVING, with the instance as it was when it last served
   *     there
   * @param draining endpoints published DRAINING, with the instance as it last served and since
   *     when
   * @param holds mass removals the guard is holding, per service
   * @param emptySince services whose last instance left, kept with no endpoints since then
   * @param services every service (cluster) of the last published snapshot
   */
  ServingState(
      Map<Member, Instance> serving,
      Map<Member, Drain> draining,
      Map<String, Hold> holds,
      Map<String, Instant> emptySince,
      Set<String> services) {
    this(
        byService(Objects.requireNonNull(serving, "serving")),
        draining,
        holds,
        emptySince,
        services,
        true);
  }

  private ServingState(
      Map<String, Map<String, Instance>> servingByService,
      Map<Member, Drain> draining,
      Map<String, Hold> holds,
      Map<String, Instant> emptySince,
      Set<String> services,
      boolean check) {
    this.servingByService = servingByService;
    this.draining = copy(draining, "draining");
    this.holds = copy(holds, "holds");
    this.emptySince = copy(emptySince, "emptySince");
    this.services =
        services instanceof SortedServices
            ? services
            : new SortedServices(Objects.requireNonNull(services, "services"));
    if (check) {
      for (Member member : this.draining.keySet()) {
        if (servingIn(member.service()).containsKey(member.instanceId())) {
          throw new IllegalArgumentException(member + " is both serving and draining");
        }
      }
    }
  }

  /**
   * A state from a plan: the serving endpoints of each service as given (each map immutable, none
   * empty), shared rather than copied.
   */
  static ServingState planned(
      Map<String, Map<String, Instance>> servingByService,
      Map<Member, Drain> draining,
      Map<String, Hold> holds,
      Map<String, Instant> emptySince,
      Set<String> services) {
    return new ServingState(
        Collections.unmodifiableMap(servingByService), draining, holds, emptySince, services, true);
  }

  /** Every service's serving endpoints by instance id; services without any are absent. */
  Map<String, Map<String, Instance>> servingByService() {
    return servingByService;
  }

  /** One service's serving endpoints, by instance id. */
  Map<String, Instance> servingIn(String service) {
    return servingByService.getOrDefault(service, Map.of());
  }

  /** Endpoints published SERVING, with the instance as it was when it last served there. */
  synchronized Map<Member, Instance> serving() {
    if (serving == null) {
      Map<Member, Instance> flat = new HashMap<>();
      servingByService.forEach(
          (service, members) ->
              members.forEach((id, instance) -> flat.put(new Member(id, service), instance)));
      serving = Collections.unmodifiableMap(flat);
    }
    return serving;
  }

  /** How many endpoints are published SERVING. */
  int servingCount() {
    int count = 0;
    for (Map<String, Instance> members : servingByService.values()) {
      count += members.size();
    }
    return count;
  }

  /** Endpoints published DRAINING, with the instance as it last served and since when. */
  Map<Member, Drain> draining() {
    return draining;
  }

  /** Mass removals the guard is holding, per service. */
  Map<String, Hold> holds() {
    return holds;
  }

  /** Services whose last instance left, kept with no endpoints since then. */
  Map<String, Instant> emptySince() {
    return emptySince;
  }

  /** Every service (cluster) of the last published snapshot, sorted. */
  Set<String> services() {
    return services;
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof ServingState other
            && servingByService.equals(other.servingByService)
            && draining.equals(other.draining)
            && holds.equals(other.holds)
            && emptySince.equals(other.emptySince)
            && services.equals(other.services));
  }

  @Override
  public int hashCode() {
    return Objects.hash(servingByService.keySet(), draining, holds, emptySince, services);
  }

  @Override
  public String toString() {
    return "ServingState[serving="
        + serving()
        + ", draining="
        + draining
        + ", holds="
        + holds
        + ", emptySince="
        + emptySince
        + ", services="
        + services
        + "]";
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

  /** Whether a service has an endpoint, serving or draining. */
  boolean hasEndpoints(String service) {
    return servingByService.containsKey(service) || drainingPerService().containsKey(service);
  }

  /** Services with at least one endpoint, serving or draining. */
  Set<String> servicesWithEndpoints() {
    Set<String> with = new HashSet<>(servingByService.keySet());
    with.addAll(drainingPerService().keySet());
    return with;
  }

  private synchronized Map<String, Integer> drainingPerService() {
    if (drainingPerService == null) {
      Map<String, Integer> counts = new HashMap<>();
      draining.keySet().forEach(m -> counts.merge(m.service(), 1, Integer::sum));
      drainingPerService = counts;
    }
    return drainingPerService;
  }

  /** When the next draining endpoint is due for removal. */
  Optional<Instant> nextDrainDeadline(Duration drainPeriod) {
    return draining.values().stream()
        .map(Drain::since)
        .min(Instant::compareTo)
        .map(t -> t.plus(drainPeriod));
  }

  private static Map<String, Map<String, Instance>> byService(Map<Member, Instance> serving) {
    Map<String, Map<String, Instance>> byService = new HashMap<>();
    serving.forEach(
        (member, instance) ->
            byService
                .computeIfAbsent(member.service(), s -> new HashMap<>())
                .put(member.instanceId(), Objects.requireNonNull(instance, "instance")));
    byService.replaceAll((service, members) -> Collections.unmodifiableMap(members));
    return Collections.unmodifiableMap(byService);
  }

  /** A sorted, immutable set of service names, shared by the states that have the same services. */
  static final class SortedServices extends java.util.AbstractSet<String> {
    private final Set<String> names;

    SortedServices(Set<String> names) {
      this.names = Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    @Override
    public java.util.Iterator<String> iterator() {
      return names.iterator();
    }

    @Override
    public int size() {
      return names.size();
    }

    @Override
    public boolean contains(Object o) {
      return names.contains(o);
    }
  }

  private static <K, V> Map<K, V> copy(Map<K, V> map, String name) {
    Objects.requireNonNull(map, name);
    return Collections.unmodifiableMap(new HashMap<>(map));
  }
}
