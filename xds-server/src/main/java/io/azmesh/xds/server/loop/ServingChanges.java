package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.loop.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.server.loop.MeshEvent.Kind;
import io.azmesh.xds.server.loop.ServingState.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two serving states, as events: instances added, draining, restored and
 * removed per service with the cause, services appearing, emptying and removed, and removals the
 * guard held or released. Pure; the control loop records the result once per refresh that advances
 * its state.
 */
final class ServingChanges {
  private ServingChanges() {}

  /**
   * One change, to be recorded as a {@link MeshEvent}.
   *
   * @param subject an instance id, or a service name
   */
  record Change(Kind kind, String subject, Optional<String> service, String reason) {
    Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(reason, "reason");
    }

    static Change of(Kind kind, Member member, String reason) {
      return new Change(kind, member.instanceId(), Optional.of(member.service()), reason);
    }

    static Change ofService(Kind kind, String service, String reason) {
      return new Change(kind, service, Optional.of(service), reason);
    }
  }

  /**
   * The changes from {@code before} to {@code after}.
   *
   * @param discovered the discovery {@code after} was planned from (sorted by id), to name causes
   * @param held the removals held by the plan that made {@code after}
   * @param planned the services the plan planned, every other one the same in both states; empty
   *     when it planned all
   */
  static List<Change> between(
      ServingState before,
      ServingState after,
      List<Instance> discovered,
      List<HeldRemoval> held,
      Optional<Set<String>> planned,
      ControlLoopConfig config,
      Instant now) {
    List<String> scope = new ArrayList<>(planned.orElseGet(() -> all(before, after)));
    scope.sort(null);
    List<Change> changes = new ArrayList<>();
    for (String service : scope) {
      if (after.hasEndpoints(service) && !before.hasEndpoints(service)) {
        changes.add(Change.ofService(Kind.SERVICE_APPEARED, service, "first endpoint published"));
      }
    }
    Map<String, HeldRemoval> heldByService = new TreeMap<>();
    held.forEach(h -> heldByService.put(h.service(), h));
    for (HeldRemoval h : heldByService.values()) {
      if (!before.holds().containsKey(h.service())) {
        changes.add(
            Change.ofService(
                Kind.REMOVAL_HELD,
                h.service(),
                "would take "
                    + (h.current() - h.proposed())
                    + " of "
                    + h.current()
                    + " serving endpoints at once; held until seen by "
                    + h.required()
                    + " discoveries and not before "
                    + h.notBefore()));
      }
    }
    for (String service : new TreeSet<>(before.holds().keySet())) {
      if (!after.holds().containsKey(service)) {
        long draining =
            after.draining().entrySet().stream()
                .filter(e -> e.getKey().service().equals(service))
                .filter(e -> e.getValue().since().equals(now))
                .count();
        changes.add(
            Change.ofService(
                Kind.REMOVAL_RELEASED,
                service,
                draining > 0
                    ? "confirmed; " + draining + " endpoints drain"
                    : "no longer proposed; nothing removed"));
      }
    }
    Causes causes = new Causes(before, after, discovered, scope);
    List<Member> joined = new ArrayList<>();
    for (String service : scope) {
      Map<String, Instance> servedBefore = before.servingIn(service);
      for (String id : after.servingIn(service).keySet()) {
        Member member = new Member(id, service);
        if (before.draining().containsKey(member) || !servedBefore.containsKey(id)) {
          joined.add(member);
        }
      }
    }
    for (Member member : sorted(joined)) {
      if (before.draining().containsKey(member)) {
        changes.add(
            Change.of(Kind.INSTANCE_RESTORED, member, "serving again before its drain ended"));
      } else {
        changes.add(Change.of(Kind.INSTANCE_ADDED, member, causes.added(member)));
      }
    }
    List<Member> startedDraining = new ArrayList<>();
    for (Member member : after.draining().keySet()) {
      if (!before.draining().containsKey(member)) {
        startedDraining.add(member);
      }
    }
    for (Member member : sorted(startedDraining)) {
      changes.add(
          Change.of(
              Kind.INSTANCE_DRAINING,
              member,
              causes.left(member)
                  + "; drains until "
                  + after.draining().get(member).since().plus(config.drainPeriod())));
    }
    List<Member> drained = new ArrayList<>();
    for (Member member : before.draining().keySet()) {
      if (!after.draining().containsKey(member) && !serves(after, member)) {
        drained.add(member);
      }
    }
    for (Member member : sorted(drained)) {
      changes.add(Change.of(Kind.INSTANCE_REMOVED, member, "drain period ended"));
    }
    List<Member> dropped = new ArrayList<>();
    for (String service : scope) {
      for (String id : before.servingIn(service).keySet()) {
        Member member = new Member(id, service);
        if (!after.draining().containsKey(member) && !serves(after, member)) {
          dropped.add(member);
        }
      }
    }
    for (Member member : sorted(dropped)) {
      changes.add(Change.of(Kind.INSTANCE_REMOVED, member, causes.left(member) + "; not drained"));
    }
    for (String service : scope) {
      if (before.hasEndpoints(service) && !after.hasEndpoints(service)) {
        changes.add(
            Change.ofService(
                Kind.SERVICE_EMPTIED,
                service,
                after.emptySince().containsKey(service)
                    ? "last endpoint left; kept with no endpoints until "
                        + after.emptySince().get(service).plus(config.serviceRetention())
                    : after.services().contains(service)
                        ? "last endpoint left; kept with no endpoints"
                        : "last endpoint left; removed"));
      }
    }
    Set<String> removed = new TreeSet<>(before.emptySince().keySet());
    removed.retainAll(before.services());
    removed.removeIf(after.services()::contains);
    removed.forEach(
        service ->
            changes.add(
                Change.ofService(
                    Kind.SERVICE_REMOVED, service, "retention ended with no instance back")));
    return changes;
  }

  /** Every service either state has something of. */
  private static Set<String> all(ServingState before, ServingState after) {
    Set<String> all = new HashSet<>();
    for (ServingState state : List.of(before, after)) {
      all.addAll(state.servicesWithEndpoints());
      all.addAll(state.holds().keySet());
      all.addAll(state.emptySince().keySet());
      all.addAll(state.services());
    }
    return all;
  }

  private static boolean serves(ServingState state, Member member) {
    return state.servingIn(member.service()).containsKey(member.instanceId());
  }

  private static List<Member> sorted(List<Member> members) {
    members.sort(null);
    return members;
  }

  /**
   * Why an instance joined or left a service. Every service an instance that joined or left one is
   * (or was) in is planned, so the planned services are the only ones looked at.
   */
  private static final class Causes {
    private final ServingState before;
    private final ServingState after;
    private final List<Instance> discovered;
    private final List<String> scope;

    Causes(ServingState before, ServingState after, List<Instance> discovered, List<String> scope) {
      this.before = before;
      this.after = after;
      this.discovered = discovered;
      this.scope = scope;
    }

    private Set<String> servedBefore;
    private Map<String, Set<String>> servesAfter;

    String added(Member member) {
      if (servedBefore == null) {
        servedBefore = new HashSet<>();
        scope.forEach(service -> servedBefore.addAll(before.servingIn(service).keySet()));
      }
      return servedBefore.contains(member.instanceId())
          ? "tags changed: joined the service"
          : "discovered serving";
    }

    /** Why an instance left a service: gone from discovery, stopped, or moved by its tags. */
    String left(Member member) {
      Optional<Instance> now = Discovery.find(discovered, member.instanceId());
      if (now.isEmpty()) {
        return "disappeared from discovery";
      }
      if (!now.get().powerState().isServing()) {
        return "power state " + now.get().powerState().code();
      }
      if (servesAfter == null) {
        servesAfter = new HashMap<>();
        for (String service : scope) {
          after
              .servingIn(service)
              .keySet()
              .forEach(id -> servesAfter.computeIfAbsent(id, i -> new TreeSet<>()).add(service));
        }
      }
      Set<String> servesIn = servesAfter.getOrDefault(member.instanceId(), Set.of());
      return servesIn.isEmpty()
          ? "tags changed: no longer an endpoint of any service"
          : "tags changed: now serves in " + String.join(", ", servesIn);
    }
  }
}
