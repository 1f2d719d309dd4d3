package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceChanges;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.InstanceStatus.State;
import io.azmesh.xds.server.loop.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.server.loop.ServingState.Drain;
import io.azmesh.xds.server.loop.ServingState.Hold;
import io.azmesh.xds.server.loop.ServingState.Member;
import io.azmesh.xds.translator.InputChanges;
import io.azmesh.xds.translator.Membership;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.TranslationInput.RetainedEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what one refresh publishes: drain, then remove; restore what comes back; hold removals
 * that would take away too much of a service at once; keep services that emptied for a while.
 *
 * <p>Pure in its result: the same state, discovery and time give the same plan. Every rule is per
 * service, so a plan works on the services in scope and carries the others over as they are. The
 * scope is every service when the planner starts, after a plan it made was not committed, or when
 * the discovery says nothing about what changed; otherwise it is the services the changed instances
 * are or were in, plus those with something due (a drain ending, a hold, a kept empty service). For
 * that the planner remembers, per instance of the last discovery it planned, where the instance
 * serves and which services it names. It asks the translation for the membership of the changed
 * instances alone, which builds no resource, then translates once, telling the translation which
 * instances changed, with the endpoints being drained or held put back as they were when they last
 * served, and the emptied services kept. The control loop checks the result against a planner that
 * starts from nothing (a full recompute).
 */
final class RefreshPlanner {
  private final ControlLoopConfig config;
  private final TranslationFunction translation;

  // Per instance of the last discovery planned: where it serves, which services it names.
  private final Map<String, Place> places = new HashMap<>();
  // Per service: how many of those instances name it.
  private final Map<String, Integer> namedBy = new HashMap<>();
  private Set<String> baseServices;
  // The discovery the remembered places are of, and the state the loop committed from it.
  private List<Instance> planned;
  private ServingState committed;

  /** Where the instances of a plan come from; only a new discovery can confirm a held removal. */
  enum Source {
    NEW_DISCOVERY,
    LAST_DISCOVERY
  }

  private record Place(List<String> serving, List<String> named) {
    static final Place NOWHERE = new Place(List.of(), List.of());
  }

  RefreshPlanner(ControlLoopConfig config, TranslationFunction translation) {
    this.config = Objects.requireNonNull(config, "config");
    this.translation = Objects.requireNonNull(translation, "translation");
  }

  /** The same planner with a fresh translation that remembers nothing: the full recompute. */
  RefreshPlanner fresh() {
    return new RefreshPlanner(config, translation.fresh());
  }

  /** Plans every service from {@code discovered}, remembering nothing of earlier plans. */
  RefreshPlan plan(ServingState state, List<Instance> discovered, Instant now, Source source) {
    return plan(state, discovered, Optional.empty(), now, source);
  }

  /**
   * Plans {@code discovered}; {@code changes} says how it differs from the discovery this planner
   * planned last (a plan from the last discovery again needs none). Only when {@code state} is the
   * one the loop committed from this planner's last plan are the services outside the changes
   * carried over; otherwise every service is planned.
   */
  RefreshPlan plan(
      ServingState state,
      List<Instance> discovered,
      Optional<InstanceChanges> changes,
      Instant now,
      Source source) {
    List<Instance> since = planned;
    Set<String> changedIds = changedIds(state, discovered, changes);
    Scope scope =
        changedIds == null
            ? everything(state, discovered)
            : changed(state, discovered, changedIds, now);
    return plan(state, discovered, since, scope, now, source);
  }

  /** Tells the planner the loop serves the state of this plan: its next plan may build on it. */
  void committed(RefreshPlan plan) {
    committed = plan.next();
  }

  /**
   * The instances changed since the last plan, or null when the plan must cover every service: the
   * first plan, or a state this planner's last plan did not make. Changes the discovery does not
   * report are found by comparing it with the last one planned.
   */
  private Set<String> changedIds(
      ServingState state, List<Instance> discovered, Optional<InstanceChanges> changes) {
    if (planned == null || state != committed) {
      return null;
    }
    if (discovered == planned) {
      return Set.of();
    }
    // From here the remembered places move on; until this plan is committed, whatever happens to
    // it (a failure half-way included), the next plan covers every service.
    committed = null;
    // A provider that reports whole worlds costs one comparison of the two, not a full plan.
    InstanceChanges c = changes.orElseGet(() -> InstanceChanges.between(planned, discovered));
    Set<String> ids = new HashSet<>();
    ids.addAll(c.added());
    ids.addAll(c.changed());
    ids.addAll(c.removed());
    return ids;
  }

  /**
   * What a plan covers.
   *
   * @param services the services planned; the others are carried over as they are
   * @param servingNow per planned service, the discovered instances serving in it, by id
   * @param changedIds the instances changed since the last plan, or null when everything is planned
   * @param examined how many endpoints were looked at to find the scope
   */
  private record Scope(
      Set<String> services,
      Map<String, Map<String, Instance>> servingNow,
      Set<String> changedIds,
      int examined) {}

  /** Every service, from the whole discovery; the remembered places are made again. */
  private Scope everything(ServingState state, List<Instance> discovered) {
    places.clear();
    namedBy.clear();
    Membership membership = translation.membership(discovered);
    baseServices = null;
    Map<String, Map<String, Instance>> servingNow = new HashMap<>();
    for (Instance instance : discovered) {
      Place place = remember(instance.id(), membership);
      for (String service : place.serving()) {
        servingNow.computeIfAbsent(service, s -> new HashMap<>()).put(instance.id(), instance);
      }
    }
    Set<String> services = new HashSet<>(membership.services());
    services.addAll(state.servingByService().keySet());
    state.draining().keySet().forEach(m -> services.add(m.service()));
    services.addAll(state.holds().keySet());
    services.addAll(state.emptySince().keySet());
    services.addAll(state.services());
    planned = discovered;
    committed = null;
    return new Scope(services, servingNow, null, discovered.size());
  }

  /**
   * The services the changed instances are or were in, and those with something due; the remembered
   * places of the changed instances are made again.
   */
  private Scope changed(
      ServingState state, List<Instance> discovered, Set<String> changedIds, Instant now) {
    Set<String> services = new HashSet<>();
    Map<String, Instance> changed = new HashMap<>();
    for (String id : changedIds) {
      Discovery.find(discovered, id).ifPresent(i -> changed.put(id, i));
    }
    Membership membership =
        changed.isEmpty()
            ? new Membership(Map.of(), Map.of(), Set.of())
            : translation.membership(List.copyOf(changed.values()));
    for (String id : changedIds) {
      Place before = forget(id);
      services.addAll(before.serving());
      services.addAll(before.named());
      if (changed.containsKey(id)) {
        Place after = remember(id, membership);
        services.addAll(after.serving());
        services.addAll(after.named());
      }
    }
    if (places.size() != discovered.size()) {
      // The changes did not describe this discovery: plan everything, still right.
      return everything(state, discovered);
    }
    int examined = changedIds.size() + state.draining().size();
    state
        .draining()
        .forEach(
            (member, drain) -> {
              if (changedIds.contains(member.instanceId()) || expired(drain, now)) {
                services.add(member.service());
              }
            });
    services.addAll(state.holds().keySet());
    services.addAll(state.emptySince().keySet());
    Map<String, Map<String, Instance>> servingNow = new HashMap<>();
    for (String service : services) {
      Map<String, Instance> before = state.servingIn(service);
      examined += before.size();
      Map<String, Instance> serving = new HashMap<>(before);
      Hold hold = state.holds().get(service);
      if (hold != null) {
        // Held endpoints serve although discovery no longer shows them there.
        hold.removing().forEach(serving::remove);
      }
      changedIds.forEach(serving::remove);
      servingNow.put(service, serving);
    }
    changed.forEach(
        (id, instance) -> {
          for (String service : places.get(id).serving()) {
            servingNow.get(service).put(id, instance);
          }
        });
    // The translation's changes are relative to this very list from now on.
    planned = discovered;
    return new Scope(services, servingNow, changedIds, examined);
  }

  private boolean expired(Drain drain, Instant now) {
    return !drain.since().plus(config.drainPeriod()).isAfter(now);
  }

  private Place remember(String id, Membership membership) {
    Place place =
        new Place(
            membership.servingIn().getOrDefault(id, List.of()),
            membership.named().getOrDefault(id, List.of()));
    if (place.serving().isEmpty() && place.named().isEmpty()) {
      place = Place.NOWHERE;
    }
    places.put(id, place);
    place.named().forEach(service -> namedBy.merge(service, 1, Integer::sum));
    return place;
  }

  private Place forget(String id) {
    Place place = places.remove(id);
    if (place == null) {
      return Place.NOWHERE;
    }
    place
        .named()
        .forEach(service -> namedBy.computeIfPresent(service, (s, n) -> n == 1 ? null : n - 1));
    return place;
  }

  /** Listed in the config or routed to by a gateway: a cluster whatever the instances. */
  private boolean isBase(String service) {
    if (baseServices == null) {
      baseServices = Set.copyOf(translation.membership(List.of()).services());
    }
    return baseServices.contains(service);
  }

  private RefreshPlan plan(
      ServingState state,
      List<Instance> discovered,
      List<Instance> previous,
      Scope scope,
      Instant now,
      Source source) {
    List<String> services = new ArrayList<>(scope.services());
    services.sort(null);

    // Drains of services out of scope carry over; in scope, they end, restore or go on.
    Map<Member, Drain> draining = new HashMap<>();
    state
        .draining()
        .forEach(
            (member, drain) -> {
              if (!scope.services().contains(member.service())) {
                draining.put(member, drain);
                return;
              }
              boolean restored =
                  scope
                      .servingNow()
                      .getOrDefault(member.service(), Map.of())
                      .containsKey(member.instanceId());
              if (!restored && !expired(drain, now)) {
                draining.put(member, drain);
              }
            });

    Map<String, Map<String, Instance>> serving = new HashMap<>(state.servingByService());
    Map<String, Hold> holds = new TreeMap<>();
    List<HeldRemoval> held = new ArrayList<>();
    List<RetainedEndpoint> retained = new ArrayList<>();
    Set<String> retainedServices = new HashSet<>();
    for (String service : services) {
      Map<String, Instance> before = state.servingIn(service);
      Map<String, Instance> now0 = scope.servingNow().getOrDefault(service, Map.of());
      Set<String> removing = new TreeSet<>();
      for (String id : before.keySet()) {
        if (!now0.containsKey(id)) {
          removing.add(id);
        }
      }
      Map<String, Instance> next = new HashMap<>(now0);
      if (!removing.isEmpty()) {
        int count = removing.size();
        int servingBefore = before.size();
        boolean holding = false;
        if ((double) count / servingBefore > config.massRemovalFraction()) {
          Hold hold = sighted(state.holds().get(service), removing, now, source);
          Instant notBefore = hold.since().plus(config.massRemovalHold());
          // Only a discovery made once the hold time is over can apply it.
          boolean confirmed =
              source == Source.NEW_DISCOVERY
                  && hold.sightings() >= config.massRemovalConfirmations()
                  && !now.isBefore(notBefore);
          if (!confirmed) {
            holding = true;
            holds.put(service, hold);
            held.add(
                new HeldRemoval(
                    service,
                    servingBefore,
                    servingBefore - count,
                    hold.sightings(),
                    config.massRemovalConfirmations(),
                    hold.since(),
                    notBefore));
          }
        }
        for (String id : removing) {
          Instance last = before.get(id);
          if (holding) {
            next.put(id, last);
            retained.add(new RetainedEndpoint(last, service, State.SERVING));
            retainedServices.add(service);
          } else {
            draining.put(new Member(id, service), new Drain(last, now));
          }
        }
      }
      if (next.isEmpty()) {
        serving.remove(service);
      } else {
        serving.put(service, next.equals(before) ? before : Collections.unmodifiableMap(next));
      }
    }
    draining.forEach(
        (member, drain) -> {
          retained.add(new RetainedEndpoint(drain.instance(), member.service(), State.DRAINING));
          retainedServices.add(member.service());
        });

    // Kept empty services: out of scope, nothing about them changed.
    Map<String, Instant> emptySince = new TreeMap<>();
    state
        .emptySince()
        .forEach(
            (service, since) -> {
              if (!scope.services().contains(service)) {
                emptySince.put(service, since);
              }
            });
    for (String service : services) {
      boolean known = state.services().contains(service) || state.emptySince().containsKey(service);
      boolean present =
          isBase(service) || namedBy.containsKey(service) || retainedServices.contains(service);
      if (!known || present) {
        continue;
      }
      Instant since = state.emptySince().getOrDefault(service, now);
      if (since.plus(config.serviceRetention()).isAfter(now)) {
        emptySince.put(service, since);
      }
    }

    TranslationInput input =
        new TranslationInput(discovered, Set.of(), retained, emptySince.keySet());
    Translation published =
        scope.changedIds() == null
            ? translation.translate(input)
            : translation.translate(input, new InputChanges(previous, scope.changedIds()));
    // Keep only what was published: a retained endpoint the translation can no longer make (the
    // config changed) is gone. Discovered endpoints publish as the membership said.
    for (RetainedEndpoint r : retained) {
      if (!published(published, r)) {
        String id = r.instance().id();
        Map<String, Instance> members = serving.get(r.service());
        if (members != null && members.containsKey(id)) {
          Map<String, Instance> without = new HashMap<>(members);
          without.remove(id);
          if (without.isEmpty()) {
            serving.remove(r.service());
          } else {
            serving.put(r.service(), Collections.unmodifiableMap(without));
          }
        }
        draining.remove(new Member(id, r.service()));
      }
    }
    ServingState next =
        ServingState.planned(
            serving, draining, holds, emptySince, services(published, state.services()));
    RefreshPlan.Work work =
        new RefreshPlan.Work(
            scope.services().size(),
            scope.examined(),
            translation.lastWork().map(w -> w.instances()).orElse(-1),
            translation.lastWork().map(w -> w.services()).orElse(-1));
    Optional<Set<String>> planned =
        scope.changedIds() == null ? Optional.empty() : Optional.of(scope.services());
    return new RefreshPlan(published, next, held, planned, work);
  }

  /**
   * The hold after one more plan proposing {@code removing}: a new discovery that proposes the same
   * removal counts one more sighting; one that proposes another removal starts over from it.
   */
  private static Hold sighted(Hold before, Set<String> removing, Instant now, Source source) {
    int seen = source == Source.NEW_DISCOVERY ? 1 : 0;
    if (before == null || !before.removing().equals(removing)) {
      return new Hold(now, seen, removing);
    }
    return new Hold(before.since(), before.sightings() + seen, removing);
  }

  /**
   * What a serving state publishes with no discovery at all: its endpoints as they last served and
   * its services; the view of a snapshot restored after a restart, until the first discovery.
   */
  Translation view(ServingState state) {
    List<RetainedEndpoint> retained = new ArrayList<>();
    state
        .serving()
        .forEach(
            (m, instance) ->
                retained.add(new RetainedEndpoint(instance, m.service(), State.SERVING)));
    state
        .draining()
        .forEach(
            (m, drain) ->
                retained.add(new RetainedEndpoint(drain.instance(), m.service(), State.DRAINING)));
    return translation.translate(
        new TranslationInput(List.of(), Set.of(), retained, state.services()));
  }

  /** Whether the translation published the retained endpoint. */
  private static boolean published(Translation translation, RetainedEndpoint retained) {
    List<InstanceStatus> statuses = translation.instances();
    int at = Discovery.indexOf(statuses, s -> s.instance().id(), retained.instance().id());
    return at >= 0
        && statuses.get(at).endpoints().stream()
            .anyMatch(e -> e.service().equals(retained.service()));
  }

  /** The translation's clusters; the state's set itself when they are the same. */
  private static Set<String> services(Translation translation, Set<String> before) {
    List<Cluster> clusters = translation.resources().clusters();
    if (clusters.size() == before.size()) {
      Iterator<String> names = before.iterator();
      boolean same = true;
      for (Cluster cluster : clusters) {
        if (!cluster.getName().equals(names.next())) {
          same = false;
          break;
        }
      }
      if (same) {
        return before;
      }
    }
    Set<String> services = new TreeSet<>();
    for (Cluster cluster : clusters) {
      services.add(cluster.getName());
    }
    return services;
  }
}
