package io.azmesh.cli;

import io.azmesh.discovery.Problem;
import io.azmesh.xds.server.MeshState;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The problem lines {@code meshctl serve} logs even when quiet: one per problem when it first
 * appears, from the latest discovery. It reads only {@link MeshState}, like any other observer; the
 * control loop's changes (snapshots, drains, held removals, failures) are logged by its event log.
 */
final class ProblemLog {
  /** The logger logback.xml keeps at INFO. */
  static final String LOGGER = "io.azmesh.cli.serve";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private Set<String> loggedProblems = Set.of();

  /** Logs what changed in {@code state} since the last call; called from one thread. */
  void observe(MeshState state) {
    Set<String> problems = new LinkedHashSet<>();
    state.discovery().lastDiscovery().ifPresent(d -> d.problems().forEach(p -> add(problems, p)));
    state.published().ifPresent(s -> s.problems().forEach(p -> add(problems, p)));
    Set<String> fresh = new LinkedHashSet<>(problems);
    fresh.removeAll(loggedProblems);
    fresh.forEach(message -> log.warn("problem: {}", message));
    loggedProblems = new HashSet<>(problems);
  }

  private static void add(Set<String> problems, Problem problem) {
    problems.add(problem.message());
  }
}
