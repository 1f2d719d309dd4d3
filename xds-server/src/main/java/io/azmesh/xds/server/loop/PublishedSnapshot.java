package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Problem;
import io.azmesh.xds.EndpointCounts;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The snapshot being served.
 *
 * @param snapshotVersion increases by one with every publish, starting at 1
 * @param publishedAt when it was published
 * @param resources the xDS resources with their content-hash versions
 * @param instances every instance of the discovery it was built from, plus those still draining,
 *     with what became of each
 * @param problems every problem the translation reported, in its order: those of single instances
 *     (also on {@code instances}) and those of no one instance, such as a route to a service that
 *     has no instances
 * @param origin whether a discovery of this process confirmed it, or it was restored from the state
 *     saved before a restart and no discovery has confirmed it yet
 * @param endpointCounts per cluster with endpoints, how many of {@code instances}' endpoints serve
 *     and drain there ({@link EndpointCounts#of} of them): the translation's own counts, so a
 *     reader charting them on every publish does not walk the fleet
 */
public record PublishedSnapshot(
    long snapshotVersion,
    Instant publishedAt,
    XdsResources resources,
    List<InstanceStatus> instances,
    List<Problem> problems,
    Origin origin,
    Map<String, EndpointCounts> endpointCounts) {

  /** Where the served world comes from. */
  public enum Origin {
    /** A discovery made by this process since it started. */
    DISCOVERED,
    /** The state saved before a restart; no discovery has confirmed it yet. */
    RESTORED
  }

  /** A snapshot of a discovery made by this process. */
  public PublishedSnapshot(
      long snapshotVersion,
      Instant publishedAt,
      XdsResources resources,
      List<InstanceStatus> instances,
      List<Problem> problems) {
    this(snapshotVersion, publishedAt, resources, instances, problems, Origin.DISCOVERED);
  }

  /** A snapshot whose endpoint counts are counted from its instances. */
  public PublishedSnapshot(
      long snapshotVersion,
      Instant publishedAt,
      XdsResources resources,
      List<InstanceStatus> instances,
      List<Problem> problems,
      Origin origin) {
    this(
        snapshotVersion,
        publishedAt,
        resources,
        instances,
        problems,
        origin,
        EndpointCounts.of(instances));
  }

  public PublishedSnapshot {
    Objects.requireNonNull(origin, "origin");
    if (snapshotVersion < 1) {
      throw new IllegalArgumentException(
          "snapshotVersion (" + snapshotVersion + ") must be positive");
    }
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(resources, "resources");
    instances = List.copyOf(instances);
    problems = List.copyOf(problems);
    endpointCounts = Map.copyOf(endpointCounts);
  }

  /** This snapshot with other problems: a control plane adds those of a refused configuration. */
  public PublishedSnapshot withProblems(List<Problem> problems) {
    return new PublishedSnapshot(
        snapshotVersion, publishedAt, resources, instances, problems, origin, endpointCounts);
  }
}
