package io.azmesh.cli;

import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.PublishedSnapshot;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines {@code meshctl serve} logs at INFO even when quiet: one per published snapshot and one
 * per problem when it first appears. It reads only {@link MeshState}, like any other observer.
 */
final class SnapshotLog {
  /** The logger logback.xml keeps at INFO. */
  static final String LOGGER = "io.azmesh.cli.serve";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private long loggedVersion;
  private Set<String> loggedProblems = Set.of();

  /** Logs what changed in {@code state} since the last call; called from one thread. */
  void observe(MeshState state) {
    state
        .published()
        .filter(snapshot -> snapshot.snapshotVersion() != loggedVersion)
        .ifPresent(this::logSnapshot);
    Set<String> problems = new LinkedHashSet<>();
    state.discovery().lastDiscovery().ifPresent(d -> d.problems().forEach(p -> add(problems, p)));
    state
        .published()
        .ifPresent(s -> s.instances().forEach(i -> i.problems().forEach(p -> add(problems, p))));
    Set<String> fresh = new LinkedHashSet<>(problems);
    fresh.removeAll(loggedProblems);
    fresh.forEach(message -> log.warn("problem: {}", message));
    loggedProblems = new HashSet<>(problems);
  }

  private static void add(Set<String> problems, Problem problem) {
    problems.add(problem.message());
  }

  private void logSnapshot(PublishedSnapshot snapshot) {
    loggedVersion = snapshot.snapshotVersion();
    Set<String> services = new TreeSet<>();
    Map<InstanceStatus.State, Integer> endpoints = new EnumMap<>(InstanceStatus.State.class);
    for (InstanceStatus instance : snapshot.instances()) {
      instance.endpoints().forEach(e -> services.add(e.service()));
      endpoints.merge(instance.state(), instance.endpoints().size(), Integer::sum);
    }
    long excluded =
        snapshot.instances().stream()
            .filter(i -> i.state() == InstanceStatus.State.EXCLUDED)
            .count();
    log.info(
        "published snapshot {}: {} services {}, {} serving and {} draining endpoints, {} excluded"
            + " instance(s)",
        snapshot.snapshotVersion(),
        services.size(),
        services,
        endpoints.getOrDefault(InstanceStatus.State.SERVING, 0),
        endpoints.getOrDefault(InstanceStatus.State.DRAINING, 0),
        excluded);
  }
}
