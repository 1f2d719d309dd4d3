package io.azmesh.xds.server;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.server.MeshEvent.Kind;
import io.azmesh.xds.server.ServingState.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

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
    Map<String, Instance> byId =
        discovered.stream()
            .collect(Collectors.toMap(Instance::id, Function.identity(), (a, b) -> a));
    List<Change> changes = new ArrayList<>();
    Set<String> hadEndpoints = before.servicesWithEndpoints();
    Set<String> hasEndpoints = after.servicesWithEndpoints();
    for (String service : hasEndpoints) {
      if (!hadEndpoints.contains(service)) {
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
    for (String service : before.holds().keySet()) {
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
    for (Member member : after.serving().keySet()) {
      if (before.draining().containsKey(member)) {
        changes.add(
            Change.of(Kind.INSTANCE_RESTORED, member, "serving again before its drain ended"));
      } else if (!before.serving().containsKey(member)) {
        changes.add(Change.of(Kind.INSTANCE_ADDED, member, addedCause(before, member)));
      }
    }
    for (Map.Entry<Member, ServingState.Drain> entry : after.draining().entrySet()) {
      Member member = entry.getKey();
      if (!before.draining().containsKey(member)) {
        changes.add(
            Change.of(
                Kind.INSTANCE_DRAINING,
                member,
                leftCause(member, byId, after)
                    + "; drains until "
                    + entry.getValue().since().plus(config.drainPeriod())));
      }
    }
    for (Member member : before.draining().keySet()) {
      if (!after.draining().containsKey(member) && !after.serving().containsKey(member)) {
        changes.add(Change.of(Kind.INSTANCE_REMOVED, member, "drain period ended"));
      }
    }
    for (Member member : before.serving().keySet()) {
      if (!after.draining().containsKey(member) && !after.serving().containsKey(member)) {
        changes.add(
            Change.of(
                Kind.INSTANCE_REMOVED, member, leftCause(member, byId, after) + "; not drained"));
      }
    }
    for (String service : hadEndpoints) {
      if (!hasEndpoints.contains(service)) {
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

  private static String addedCause(ServingState before, Member member) {
    boolean elsewhere =
        before.serving().keySet().stream()
            .anyMatch(m -> m.instanceId().equals(member.instanceId()));
    return elsewhere ? "tags changed: joined the service" : "discovered serving";
  }

  /** Why an instance left a service: gone from discovery, stopped, or moved by its tags. */
  private static String leftCause(Member member, Map<String, Instance> byId, ServingState after) {
    Instance now = byId.get(member.instanceId());
    if (now == null) {
      return "disappeared from discovery";
    }
    if (!now.powerState().isServing()) {
      return "power state " + now.powerState().code();
    }
    Set<String> servesIn = new TreeSet<>();
    after.serving().keySet().stream()
        .filter(m -> m.instanceId().equals(member.instanceId()))
        .forEach(m -> servesIn.add(m.service()));
    return servesIn.isEmpty()
        ? "tags changed: no longer an endpoint of any service"
        : "tags changed: now serves in " + String.join(", ", servesIn);
  }
}
