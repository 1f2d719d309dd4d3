package io.azmesh.xds.server.loop;

import java.util.List;
import java.util.Objects;

/**
 * What a running loop made of a new translation handed to it by {@link ControlLoop#reconfigure}.
 *
 * @param outcome whether it serves, and since when
 * @param changes the resources it changes against what was served before; none when rejected
 * @param violations why it was refused, one line each; empty unless {@code REJECTED}
 * @param snapshotVersion the snapshot serving afterwards, 0 before the first publish
 */
public record Reconfiguration(
    Outcome outcome, ResourceChanges changes, List<String> violations, long snapshotVersion) {

  /** Whether the new translation serves. */
  public enum Outcome {
    /** It serves: the re-translated snapshot was published. */
    PUBLISHED,
    /** It serves, and it translates the last discovery to exactly what was served. */
    UNCHANGED,
    /** Nothing was discovered yet: it is used from the first discovery on. */
    AWAITING_DISCOVERY,
    /** Its snapshot failed validation (or it threw): the previous translation keeps serving. */
    REJECTED
  }

  public Reconfiguration {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(changes, "changes");
    violations = List.copyOf(violations);
    if ((outcome == Outcome.REJECTED) == violations.isEmpty()) {
      throw new IllegalArgumentException(
          "violations (" + violations + ") must be given exactly when the outcome is REJECTED");
    }
  }
}
