package io.azmesh.xds.server;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.InstanceStatus.State;
import io.azmesh.xds.server.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.server.ServingState.Served;
import io.azmesh.xds.translator.Translation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what one refresh publishes: drain, then remove; restore what comes back; hold removals
 * that would take away too much of a service at once.
 *
 * <p>Pure: the same state, discovery and time give the same plan. It translates twice when needed:
 * once to learn which instances serve now, then with the instances being drained or held put back
 * as they were when they last served. Removal shares count instances per service.
 */
final class RefreshPlanner {
  private final ControlLoopConfig config;
  private final TranslationFunction translation;

  RefreshPlanner(ControlLoopConfig config, TranslationFunction translation) {
    this.config = Objects.requireNonNull(config, "config");
    this.translation = Objects.requireNonNull(translation, "translation");
  }

  RefreshPlan plan(ServingState state, List<Instance> discovered, Instant now) {
    Translation current = translation.translate(discovered, Set.of());
    Set<String> servingNow = idsIn(current, State.SERVING);

    Map<String, Instant> draining = new TreeMap<>();
    state
        .drainingSince()
        .forEach(
            (id, since) -> {
              boolean restored = servingNow.contains(id);
              boolean expired = !since.plus(config.drainPeriod()).isAfter(now);
              if (!restored && !expired) {
                draining.put(id, since);
              }
            });
    Set<String> gone = new TreeSet<>(state.published().keySet());
    gone.removeAll(servingNow);
    gone.removeAll(state.drainingSince().keySet());

    Map<String, Integer> removedByService = removedInstances(state, gone);
    Map<String, Integer> sightings = new TreeMap<>();
    List<HeldRemoval> held = new ArrayList<>();
    Set<String> heldServices = new HashSet<>();
    removedByService.forEach(
        (service, removed) -> {
          int serving = state.servingInstances().getOrDefault(service, 0);
          if (serving == 0 || (double) removed / serving <= config.massRemovalFraction()) {
            return;
          }
          int seen = state.heldSightings().getOrDefault(service, 0) + 1;
          if (seen < config.massRemovalConfirmations()) {
            sightings.put(service, seen);
            heldServices.add(service);
            held.add(
                new HeldRemoval(
                    service, serving, serving - removed, seen, config.massRemovalConfirmations()));
          }
        });

    Set<String> heldIds = new TreeSet<>();
    for (String id : gone) {
      if (state.published().get(id).services().stream().anyMatch(heldServices::contains)) {
        heldIds.add(id);
      } else {
        draining.put(id, now);
      }
    }

    Translation published = current;
    if (!draining.isEmpty() || !heldIds.isEmpty()) {
      Set<String> retained = new HashSet<>(draining.keySet());
      retained.addAll(heldIds);
      List<Instance> input = new ArrayList<>();
      for (Instance instance : discovered) {
        if (!retained.contains(instance.id())) {
          input.add(instance);
        }
      }
      for (String id : retained) {
        input.add(state.published().get(id).instance());
      }
      published = translation.translate(input, draining.keySet());
    }
    return new RefreshPlan(published, nextState(published, draining, sightings), held);
  }

  private ServingState nextState(
      Translation published, Map<String, Instant> draining, Map<String, Integer> sightings) {
    Map<String, Served> kept = new TreeMap<>();
    Map<String, Integer> servingInstances = new TreeMap<>();
    for (InstanceStatus status : published.instances()) {
      if (status.state() == State.EXCLUDED) {
        continue;
      }
      Set<String> services = new TreeSet<>();
      status.endpoints().forEach(endpoint -> services.add(endpoint.service()));
      kept.put(status.instance().id(), new Served(status.instance(), services));
      if (status.state() == State.SERVING) {
        services.forEach(service -> servingInstances.merge(service, 1, Integer::sum));
      }
    }
    // A draining instance the translation excluded anyway cannot be drained; forget it.
    Map<String, Instant> stillDraining = new TreeMap<>(draining);
    stillDraining.keySet().retainAll(kept.keySet());
    return new ServingState(kept, stillDraining, servingInstances, sightings);
  }

  private static Map<String, Integer> removedInstances(ServingState state, Set<String> gone) {
    Map<String, Integer> removed = new TreeMap<>();
    for (String id : gone) {
      state.published().get(id).services().forEach(s -> removed.merge(s, 1, Integer::sum));
    }
    return removed;
  }

  private static Set<String> idsIn(Translation result, State state) {
    Set<String> ids = new HashSet<>();
    for (InstanceStatus status : result.instances()) {
      if (status.state() == state) {
        ids.add(status.instance().id());
      }
    }
    return ids;
  }
}
