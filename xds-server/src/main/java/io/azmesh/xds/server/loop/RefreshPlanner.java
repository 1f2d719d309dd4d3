package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.InstanceStatus.State;
import io.azmesh.xds.server.loop.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.server.loop.ServingState.Drain;
import io.azmesh.xds.server.loop.ServingState.Hold;
import io.azmesh.xds.server.loop.ServingState.Member;
import io.azmesh.xds.translator.Membership;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.TranslationInput;
import io.azmesh.xds.translator.TranslationInput.RetainedEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what one refresh publishes: drain, then remove; restore what comes back; hold removals
 * that would take away too much of a service at once; keep services that emptied for a while.
 *
 * <p>Pure: the same state, discovery and time give the same plan. It first asks the translation for
 * the membership alone (which (instance, service) endpoints serve now, which services there are),
 * which builds no resource, then translates once, with the endpoints being drained or held put back
 * as they were when they last served, and the emptied services kept. Its collections are hash
 * collections: the cost of a plan is a few lookups per endpoint of the fleet, and sorting only what
 * changed.
 */
final class RefreshPlanner {
  private final ControlLoopConfig config;
  private final TranslationFunction translation;

  /** Where the instances of a plan come from; only a new discovery can confirm a held removal. */
  enum Source {
    NEW_DISCOVERY,
    LAST_DISCOVERY
  }

  RefreshPlanner(ControlLoopConfig config, TranslationFunction translation) {
    this.config = Objects.requireNonNull(config, "config");
    this.translation = Objects.requireNonNull(translation, "translation");
  }

  /** The same planner with a fresh translation that remembers nothing: the full recompute. */
  RefreshPlanner fresh() {
    return new RefreshPlanner(config, translation.fresh());
  }

  RefreshPlan plan(ServingState state, List<Instance> discovered, Instant now, Source source) {
    Membership membership = translation.membership(discovered);
    Map<Member, Instance> servingNow = serving(discovered, membership);

    Map<Member, Drain> draining = new HashMap<>();
    state
        .draining()
        .forEach(
            (member, drain) -> {
              boolean restored = servingNow.containsKey(member);
              boolean expired = !drain.since().plus(config.drainPeriod()).isAfter(now);
              if (!restored && !expired) {
                draining.put(member, drain);
              }
            });
    List<Member> gone = new ArrayList<>();
    for (Member member : state.serving().keySet()) {
      if (!servingNow.containsKey(member)) {
        gone.add(member);
      }
    }
    gone.sort(null);

    SortedMap<String, Set<String>> removed = new TreeMap<>();
    gone.forEach(
        m -> removed.computeIfAbsent(m.service(), s -> new TreeSet<>()).add(m.instanceId()));
    Map<String, Integer> servingBefore = removed.isEmpty() ? Map.of() : state.servingPerService();
    Map<String, Hold> holds = new TreeMap<>();
    List<HeldRemoval> held = new ArrayList<>();
    removed.forEach(
        (service, removing) -> {
          int count = removing.size();
          int serving = servingBefore.getOrDefault(service, 0);
          if ((double) count / serving <= config.massRemovalFraction()) {
            return;
          }
          Hold hold = sighted(state.holds().get(service), removing, now, source);
          Instant notBefore = hold.since().plus(config.massRemovalHold());
          // Only a discovery made once the hold time is over can apply it.
          boolean confirmed =
              source == Source.NEW_DISCOVERY
                  && hold.sightings() >= config.massRemovalConfirmations()
                  && !now.isBefore(notBefore);
          if (!confirmed) {
            holds.put(service, hold);
            held.add(
                new HeldRemoval(
                    service,
                    serving,
                    serving - count,
                    hold.sightings(),
                    config.massRemovalConfirmations(),
                    hold.since(),
                    notBefore));
          }
        });

    Map<Member, Instance> serving = servingNow;
    List<RetainedEndpoint> retained = new ArrayList<>();
    for (Member member : gone) {
      Instance last = state.serving().get(member);
      if (holds.containsKey(member.service())) {
        serving.put(member, last);
        retained.add(new RetainedEndpoint(last, member.service(), State.SERVING));
      } else {
        draining.put(member, new Drain(last, now));
      }
    }
    draining.forEach(
        (member, drain) ->
            retained.add(new RetainedEndpoint(drain.instance(), member.service(), State.DRAINING)));

    Set<String> present = new HashSet<>(membership.services());
    retained.forEach(r -> present.add(r.service()));
    Map<String, Instant> emptySince = new TreeMap<>();
    Set<String> known = new TreeSet<>(state.services());
    known.addAll(state.emptySince().keySet());
    for (String service : known) {
      if (present.contains(service)) {
        continue;
      }
      Instant since = state.emptySince().getOrDefault(service, now);
      if (since.plus(config.serviceRetention()).isAfter(now)) {
        emptySince.put(service, since);
      }
    }

    Translation published =
        translation.translate(
            new TranslationInput(discovered, Set.of(), retained, emptySince.keySet()));
    // Keep only what was published: a retained endpoint the translation can no longer make (the
    // config changed) is gone. Discovered endpoints publish as the membership said.
    if (!retained.isEmpty()) {
      Set<Member> kept = retainedAndPublished(published, retained);
      for (RetainedEndpoint r : retained) {
        Member member = new Member(r.instance().id(), r.service());
        if (!kept.contains(member)) {
          serving.remove(member);
          draining.remove(member);
        }
      }
    }
    ServingState next = new ServingState(serving, draining, holds, emptySince, services(published));
    return new RefreshPlan(published, next, held);
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

  /** Serving endpoints of the discovered instances, with their instance as discovered. */
  private static Map<Member, Instance> serving(List<Instance> discovered, Membership membership) {
    Map<Member, Instance> serving = new HashMap<>(discovered.size() * 2);
    for (Instance instance : discovered) {
      List<String> services = membership.servingIn().get(instance.id());
      if (services != null) {
        services.forEach(service -> serving.put(new Member(instance.id(), service), instance));
      }
    }
    return serving;
  }

  /** Which of the retained endpoints the translation published. */
  private static Set<Member> retainedAndPublished(
      Translation published, List<RetainedEndpoint> retained) {
    Set<String> ids = new HashSet<>();
    retained.forEach(r -> ids.add(r.instance().id()));
    Set<Member> members = new HashSet<>();
    for (InstanceStatus status : published.instances()) {
      if (ids.contains(status.instance().id())) {
        status
            .endpoints()
            .forEach(e -> members.add(new Member(status.instance().id(), e.service())));
      }
    }
    return members;
  }

  private static Set<String> services(Translation translation) {
    Set<String> services = new TreeSet<>();
    for (Cluster cluster : translation.resources().clusters()) {
      services.add(cluster.getName());
    }
    return services;
  }
}
