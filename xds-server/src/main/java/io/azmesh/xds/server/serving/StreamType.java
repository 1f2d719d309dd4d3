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

  boolean wildcard;
  final Set<String> names = new HashSet<>();

  /** Version of each resource the client holds, by name (delta; named state-of-the-world). */
  final Map<String, String> held = new HashMap<>();

  /** For a whole-set wildcard state-of-the-world subscription: the set version the client holds. */
  String heldSetVersion;

  /** Names to look at on the next response whatever changed: new subscriptions. */
  final Set<String> pending = new LinkedHashSet<>();

  /** Every name must be looked at: a new stream, or a wildcard subscription just made. */
  boolean pendingAll = true;

  /** The snapshot generation every subscribed resource was last compared at. */
  long syncedGeneration;

  String inFlightNonce;
  private String inFlightVersion;
  private String lastSentNonce;
  private String sentVersion;
  String ackedVersion;
  private Nack lastNack;

  StreamType(XdsType type) {
    this.type = type;
  }

  boolean subscribes(String name) {
    return wildcard || names.contains(name);
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
      return;
    }
    Set<String> next = new HashSet<>(requested);
    boolean nextWildcard = next.remove(WILDCARD) || (type.wholeSet() && next.isEmpty());
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
    }
  }

  /** Delta: names added to the subscription, kept as {@code shared} gives them. */
  void subscribe(Collection<String> added, UnaryOperator<String> shared) {
    for (String name : added) {
      if (name.equals(WILDCARD)) {
        wildcard = true;
        pendingAll = true;
      } else if (!names.contains(name)) {
        String kept = shared.apply(name);
        names.add(kept);
        pending.add(kept);
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
        if (!wildcard) {
          held.remove(name);
        }
      }
    }
  }

  /** Whether anything may have to be sent for the snapshot of {@code generation}. */
  boolean behind(long generation) {
    return requested && (syncedGeneration < generation || pendingAll || !pending.isEmpty());
  }

  /** The names to compare against {@code served}; every name when the history does not reach. */
  Set<String> candidates(ServedType served) {
    Optional<Set<String>> changed =
        pendingAll ? Optional.empty() : served.changedAfter(syncedGeneration);
    Set<String> candidates = new LinkedHashSet<>(pending);
    if (changed.isPresent()) {
      candidates.addAll(changed.get());
    } else {
      candidates.addAll(wildcard ? served.resources().keySet() : names);
      candidates.addAll(held.keySet());
    }
    return candidates;
  }

  void synced(long generation) {
    syncedGeneration = generation;
    pending.clear();
    pendingAll = false;
  }

  void sent(String nonce, String version) {
    inFlightNonce = nonce;
    inFlightVersion = version;
    lastSentNonce = nonce;
    sentVersion = version;
  }

  /** The version of the in-flight response, now answered. */
  String answered() {
    String version = inFlightVersion;
    inFlightNonce = null;
    inFlightVersion = null;
    return version;
  }

  void nacked(Nack nack) {
    lastNack = nack;
  }

  TypeStatus status() {
    return new TypeStatus(
        Optional.ofNullable(sentVersion),
        Optional.ofNullable(ackedVersion),
        Optional.ofNullable(lastNack));
  }

  /** NACKED if the latest response was rejected; STALE while one is unanswered or due. */
  SyncState sync(long currentGeneration) {
    if (lastNack != null && lastNack.nonce().equals(lastSentNonce)) {
      return SyncState.NACKED;
    }
    if (inFlightNonce != null || behind(currentGeneration)) {
      return SyncState.STALE;
    }
    return SyncState.SYNCED;
  }
}
