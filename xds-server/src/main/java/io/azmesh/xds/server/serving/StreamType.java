package io.azmesh.xds.server.serving;

import io.azmesh.xds.server.serving.NodeStatus.Nack;
import io.azmesh.xds.server.serving.NodeStatus.SyncState;
import io.azmesh.xds.server.serving.NodeStatus.TypeStatus;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One resource type on one stream: what the client subscribes to, what it holds, and the response
 * it has not answered yet. Guarded by the stream's lock.
 *
 * <p>At most one response per type is in flight: the next is computed when the client answers, from
 * the newest snapshot, so a slow client skips the versions it was too slow for instead of queueing
 * them, and a client that stops reading costs one response.
 */
final class StreamType {
  /** The subscription to every resource of the type, in both protocols. */
  static final String WILDCARD = "*";

  final XdsType type;

  /** Whether the client has asked for this type at all. */
  boolean requested;

  /**
   * Whether the client ever named resources of this type: the legacy wildcard (an empty list) is
   * only the first request's; after names, an empty list unsubscribes from everything.
   */
  private boolean named;

  boolean wildcard;
  final Set<String> names = new HashSet<>();

  /**
   * Version of each resource the client accepted, by name (delta; named state-of-the-world): only
   * an ACK adds to it, because a NACKed response is rejected whole and delivered nothing.
   */
  final Map<String, String> held = new HashMap<>();

  /** For a whole-set wildcard state-of-the-world subscription: the set version the client holds. */
  String heldSetVersion;

  /** Names to look at on the next response whatever changed: new subscriptions. */
  final Set<String> pending = new LinkedHashSet<>();

  /** Every name must be looked at: a new stream, or a wildcard subscription just made. */
  boolean pendingAll = true;

  /**
   * The next response compares every name, without being due for that alone: what a rejected or
   * dropped response carried is still owed, but only with the next version.
   */
  private boolean compareAll;

  /**
   * Names whose parent (the Cluster of an assignment, the Listener of a route configuration) was
   * just sent updated: the client warms the parent until it has them, and asks again with the
   * version it holds, so the next request naming one is answered even if it did not change.
   */
  final Set<String> warming = new HashSet<>();

  /**
   * A response that would only remove resources, held back on an ADS stream until the listeners and
   * routes that may still refer to them are sent and answered (make before break).
   */
  boolean heldBack;

  /** The snapshot generation every subscribed resource was last compared at. */
  long syncedGeneration;

  String inFlightNonce;
  private String inFlightVersion;
  private final Map<String, String> inFlightResources = new HashMap<>();
  private final Set<String> inFlightRemoved = new HashSet<>();
  private String inFlightSetVersion;
  private boolean inFlightWholeSet;
  private String sentVersion;
  private String rejectedVersion;
  String ackedVersion;
  private Nack lastNack;

  /** Whether the client's last answer was a NACK and it does not hold what is served since. */
  private boolean nackOutstanding;

  StreamType(XdsType type) {
    this.type = type;
  }

  /** Whether the client subscribes to {@code resource}: by name, or by wildcard if it is in it. */
  boolean subscribes(ServedResource resource) {
    return names.contains(resource.name()) || (wildcard && resource.inWildcard());
  }

  /**
   * Whether a state-of-the-world request names what is subscribed already: as many names, each
   * subscribed. Resource names are a set in xDS; a client that broke that by repeating one name in
   * place of another would keep the other subscribed until its names change again.
   */
  private boolean unchanged(Collection<String> requested) {
    if (wildcard || pendingAll || requested.size() != names.size() || requested.isEmpty()) {
      return false;
    }
    for (String name : requested) {
      if (!names.contains(name)) {
        return false;
      }
    }
    return true;
  }

  /**
   * State of the world: the request's names replace the subscription. A name newly subscribed is
   * kept as {@code shared} gives it: the served copy, so a thousand streams subscribed to the same
   * 500 names hold one copy of each rather than the thousand gRPC decoded.
   */
  void subscribeExactly(Collection<String> requested, UnaryOperator<String> shared) {
    if (unchanged(requested)) {
      // Every ACK of a state-of-the-world client names its whole subscription again, 500 names
      // for an Envoy with 500 clusters; building sets from each was the top of a fan-out profile.
      rewarm(requested);
      return;
    }
    Set<String> next = new HashSet<>(requested);
    boolean explicitWildcard = next.remove(WILDCARD);
    boolean nextWildcard = explicitWildcard || (type.wholeSet() && next.isEmpty() && !named);
    named |= !next.isEmpty();
    if (nextWildcard && !wildcard) {
      pendingAll = true;
    }
    wildcard = nextWildcard;
    names.removeIf(name -> !next.contains(name));
    for (String name : next) {
      if (!names.contains(name)) {
        String kept = shared.apply(name);
        pending.add(kept);
        names.add(kept);
      }
    }
    if (!wildcard) {
      // What a client unsubscribed from it forgets; subscribing again sends it again.
      held.keySet().removeIf(name -> !names.contains(name));
      warming.retainAll(names);
    }
    rewarm(requested);
    if (!wildcard && names.isEmpty()) {
      // A client that stops watching a type drops what is on its way unanswered (grpc-java does).
      dropInFlight();
    }
  }

  /** A request naming a warming resource is answered with it, changed or not. */
  private void rewarm(Collection<String> requested) {
    if (warming.isEmpty()) {
      return;
    }
    for (String name : requested) {
      if (warming.remove(name)) {
        held.remove(name);
        pending.add(name);
      }
    }
  }

  /**
   * Delta: names added to the subscription, kept as {@code shared} gives them. A name subscribed
   * again is sent again: the client asks because it does not have it (or is warming its parent).
   */
  void subscribe(Collection<String> added, UnaryOperator<String> shared) {
    for (String name : added) {
      if (name.equals(WILDCARD)) {
        wildcard = true;
        pendingAll = true;
      } else {
        String kept = shared.apply(name);
        names.add(kept);
        pending.add(kept);
        held.remove(kept);
        warming.remove(kept);
      }
    }
  }

  /** Delta: names removed from the subscription; the client forgets them. */
  void unsubscribe(Collection<String> removed) {
    for (String name : removed) {
      if (name.equals(WILDCARD)) {
        wildcard = false;
      } else {
        names.remove(name);
        pending.remove(name);
        warming.remove(name);
        if (!wildcard) {
          held.remove(name);
        }
      }
    }
    if (!wildcard && names.isEmpty()) {
      dropInFlight();
    }
  }

  /** Whether anything may have to be sent for the snapshot of {@code generation}. */
  boolean behind(long generation) {
    return requested && (syncedGeneration < generation || pendingAll || !pending.isEmpty());
  }

  /** Whether the version served now is the one the client rejected last. */
  boolean rejected(ServedType served) {
    return served.version().equals(rejectedVersion);
  }

  /** Whether a response of the whole set may go: not the rejected version again, unless asked. */
  boolean mayResendWholeSet(ServedType served) {
    return !rejected(served) || pendingAll || !pending.isEmpty();
  }

  /**
   * The names to compare against {@code served}; every name when the history does not reach or a
   * response was lost. With the version the client rejected, only what it newly asked for: the
   * rejected version is not sent again.
   */
  Set<String> candidates(ServedType served) {
    if (rejected(served) && !pendingAll) {
      return new LinkedHashSet<>(pending);
    }
    Optional<Set<String>> changed =
        pendingAll || compareAll ? Optional.empty() : served.changedAfter(syncedGeneration);
    Set<String> candidates = new LinkedHashSet<>(pending);
    if (changed.isPresent()) {
      candidates.addAll(changed.get());
    } else {
      candidates.addAll(wildcard ? served.resources().keySet() : names);
      candidates.addAll(held.keySet());
    }
    return candidates;
  }

  /**
   * The names of a whole-set wildcard type that changed since the client last compared, or empty
   * when that is not known (every name is then taken as changed).
   */
  Optional<Set<String>> changedSinceSynced(ServedType served) {
    return pendingAll || compareAll ? Optional.empty() : served.changedAfter(syncedGeneration);
  }

  void synced(long generation) {
    syncedGeneration = generation;
    pending.clear();
    pendingAll = false;
    compareAll = false;
    heldBack = false;
  }

  /** Notes a response that carries {@code resources} and removes {@code removed}. */
  void sent(String nonce, String version, Map<String, String> resources, Set<String> removed) {
    sent(nonce, version);
    inFlightResources.putAll(resources);
    inFlightRemoved.addAll(removed);
  }

  /** Notes a state-of-the-world response of the whole subscribed set, by name. */
  void sentWholeSet(String nonce, String version, Map<String, String> resources) {
    sent(nonce, version);
    inFlightWholeSet = true;
    inFlightResources.putAll(resources);
  }

  /** Notes a state-of-the-world response of the whole wildcard set, as {@code setVersion}. */
  void sentWildcardSet(String nonce, String version, String setVersion) {
    sent(nonce, version);
    inFlightSetVersion = setVersion;
  }

  private void sent(String nonce, String version) {
    inFlightNonce = nonce;
    inFlightVersion = version;
    sentVersion = version;
    inFlightResources.clear();
    inFlightRemoved.clear();
    inFlightSetVersion = null;
    inFlightWholeSet = false;
  }

  String inFlightVersion() {
    return inFlightVersion;
  }

  /** The client accepted the in-flight response: it holds what it carried. Returns its version. */
  String acked() {
    if (inFlightSetVersion != null) {
      heldSetVersion = inFlightSetVersion;
    }
    if (inFlightWholeSet) {
      held.clear();
    }
    inFlightResources.forEach(
        (name, version) -> {
          if (wildcard || names.contains(name)) {
            held.put(name, version);
          }
        });
    inFlightRemoved.forEach(held::remove);
    nackOutstanding = false;
    return answered();
  }

  /**
   * The client rejected the in-flight response as a whole: nothing in it was delivered, so all of
   * it is still owed, but not at this version. Returns its version.
   */
  String nacked(Nack nack) {
    lastNack = nack;
    nackOutstanding = true;
    rejectedVersion = inFlightVersion;
    compareAll = true;
    return answered();
  }

  /**
   * Nothing is due from {@code served}: the client holds what is served. A NACK of another version
   * is over (a publish went back to what the client kept).
   */
  void upToDate(ServedType served) {
    if (!rejected(served)) {
      nackOutstanding = false;
    }
  }

  /** The client will not answer the in-flight response; what it carried is still owed. */
  private void dropInFlight() {
    if (inFlightNonce != null) {
      compareAll = true;
      answered();
    }
  }

  private String answered() {
    String version = inFlightVersion;
    inFlightNonce = null;
    inFlightVersion = null;
    inFlightResources.clear();
    inFlightRemoved.clear();
    inFlightSetVersion = null;
    inFlightWholeSet = false;
    return version;
  }

  TypeStatus status() {
    return new TypeStatus(
        Optional.ofNullable(sentVersion),
        Optional.ofNullable(ackedVersion),
        Optional.ofNullable(lastNack));
  }

  /** NACKED if the latest response was rejected; STALE while one is unanswered or due. */
  SyncState sync(long currentGeneration) {
    if (nackOutstanding) {
      return SyncState.NACKED;
    }
    if (inFlightNonce != null || behind(currentGeneration)) {
      return SyncState.STALE;
    }
    return SyncState.SYNCED;
  }
}
