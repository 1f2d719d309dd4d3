package io.azmesh.xds.server.serving;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One xDS client and how far it has accepted what was sent, like {@code istioctl proxy-status}.
 *
 * @param nodeId the node id from the client's bootstrap
 * @param cluster the node's cluster (its service name)
 * @param locality region/zone/sub-zone, if the node sent one
 * @param userAgent client build, e.g. {@code envoy 1.31.0} or {@code gRPC Java 1.85.1}
 * @param connectedSince when its current stream opened; empty once disconnected
 * @param types per resource type ({@code clusters}, {@code endpoints}, {@code listeners}, {@code
 *     routes}) what was sent, ACKed and NACKed
 * @param sync the overall state
 */
public record NodeStatus(
    String nodeId,
    String cluster,
    Optional<String> locality,
    String userAgent,
    Optional<Instant> connectedSince,
    Map<String, TypeStatus> types,
    SyncState sync) {

  public NodeStatus {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(connectedSince, "connectedSince");
    Objects.requireNonNull(sync, "sync");
    types = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(types));
  }

  /** Sync state of a node as a whole. */
  public enum SyncState {
    /** Every type's last sent version is ACKed and is the one published. */
    SYNCED,
    /** Something sent or published is not ACKed yet. */
    STALE,
    /** The node rejected the latest version of at least one type. */
    NACKED
  }

  /**
   * One resource type on one node.
   *
   * @param sentVersion last version sent
   * @param ackedVersion last version the node ACKed
   * @param lastNack the last rejection, if any
   */
  public record TypeStatus(
      Optional<String> sentVersion, Optional<String> ackedVersion, Optional<Nack> lastNack) {
    public TypeStatus {
      Objects.requireNonNull(sentVersion, "sentVersion");
      Objects.requireNonNull(ackedVersion, "ackedVersion");
      Objects.requireNonNull(lastNack, "lastNack");
    }
  }

  /**
   * A rejection from a node.
   *
   * @param version the version it rejected
   * @param nonce the response nonce it rejected
   * @param errorDetail the client's own error text
   * @param at when
   */
  public record Nack(String version, String nonce, String errorDetail, Instant at) {
    public Nack {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(nonce, "nonce");
      Objects.requireNonNull(errorDetail, "errorDetail");
      Objects.requireNonNull(at, "at");
    }
  }
}
