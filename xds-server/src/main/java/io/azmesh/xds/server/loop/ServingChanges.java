package io.azmesh.xds.server.loop;

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
   * @param discovered the discovery {@code after} was planned from, to name causes
   * @param held the removals held by the plan that made {@code after}
   */
  static List<Change> between(
      ServingState before,
      ServingState after,
      List<Instance> discovered,
      List<HeldRemoval> held,
      ControlLoopConfig config,
      Instant now) {
    List<Change> changes = new ArrayList<>();
    Set<String> hadEndpoints = before.servicesWithEndpoints();
    Set<String> hasEndpoints = after.servicesWithEndpoints();
    List<String> appeared = new ArrayList<>();
    for (String service : hasEndpoints) {
      if (!hadEndpoints.contains(service)) {
        appeared.add(service);
      }
    }
    appeared.sort(null);
    for (String service : appeared) {
      changes.add(Change.ofService(Kind.SERVICE_APPEARED, service, "first endpoint published"));
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
    Causes causes = new Causes(before, after, discovered);
    List<Member> joined = new ArrayList<>();
    for (Member member : after.serving().keySet()) {
      if (before.draining().containsKey(member) || !before.serving().containsKey(member)) {
        joined.add(member);
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
      if (!after.draining().containsKey(member) && !after.serving().containsKey(member)) {
        drained.add(member);
      }
    }
    for (Member member : sorted(drained)) {
      changes.add(Change.of(Kind.INSTANCE_REMOVED, member, "drain period ended"));
    }
    List<Member> dropped = new ArrayList<>();
    for (Member member : before.serving().keySet()) {
      if (!after.draining().containsKey(member) && !after.serving().containsKey(member)) {
        dropped.add(member);
      }
    }
    for (Member member : sorted(dropped)) {
      changes.add(Change.of(Kind.INSTANCE_REMOVED, member, causes.left(member) + "; not drained"));
    }
    List<String> emptied = new ArrayList<>();
    for (String service : hadEndpoints) {
      if (!hasEndpoints.contains(service)) {
        emptied.add(service);
      }
    }
    emptied.sort(null);
    for (String service : emptied) {
      {
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
    Set<String> removed = new TreeSet<>(before.services());
    removed.removeAll(after.services());
    removed.retainAll(before.emptySince().keySet());
    removed.forEach(
        service ->
            changes.add(
                Change.ofService(
                    Kind.SERVICE_REMOVED, service, "retention ended with no instance back")));
    return changes;
  }

  private static List<Member> sorted(List<Member> members) {
    members.sort(null);
    return members;
  }

  /**
   * Why an instance joined or left a service. Indexes the instances of the states only when a
   * change needs it, so a refresh that adds or removes nothing looks nothing up.
   */
  private static final class Causes {
    private final ServingState before;
    private final ServingState after;
    private final List<Instance> discovered;
    private Map<String, Instance> byId;
    private Set<String> servedBefore;
    private Map<String, Set<String>> servesAfter;

    Causes(ServingState before, ServingState after, List<Instance> discovered) {
      this.before = before;
      this.after = after;
      this.discovered = discovered;
    }

    String added(Member member) {
      if (servedBefore == null) {
        servedBefore = new HashSet<>();
        before.serving().keySet().forEach(m -> servedBefore.add(m.instanceId()));
      }
      return servedBefore.contains(member.instanceId())
          ? "tags changed: joined the service"
          : "discovered serving";
    }

    /** Why an instance left a service: gone from discovery, stopped, or moved by its tags. */
    String left(Member member) {
      if (byId == null) {
        byId = new HashMap<>();
        discovered.forEach(i -> byId.putIfAbsent(i.id(), i));
        servesAfter = new HashMap<>();
        after
            .serving()
            .keySet()
            .forEach(
                m ->
                    servesAfter
                        .computeIfAbsent(m.instanceId(), id -> new TreeSet<>())
                        .add(m.service()));
      }
      Instance now = byId.get(member.instanceId());
      if (now == null) {
        return "disappeared from discovery";
      }
      if (!now.powerState().isServing()) {
        return "power state " + now.powerState().code();
      }
      Set<String> servesIn = servesAfter.getOrDefault(member.instanceId(), Set.of());
      return servesIn.isEmpty()
          ? "tags changed: no longer an endpoint of any service"
          : "tags changed: now serves in " + String.join(", ", servesIn);
    }
  }
}
