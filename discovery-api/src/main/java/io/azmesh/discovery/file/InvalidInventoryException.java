package io.azmesh.discovery.file;

import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An inventory file that cannot be used as a whole. Every problem found in the file is listed, each
 * naming the file, the line and the offending value.
 */
public final class InvalidInventoryException extends DiscoveryException {
  private static final long serialVersionUID = 1L;

  /** The {@link #causeLabel()} of every invalid inventory. */
  public static final String CAUSE = "parse";

  private final transient List<Problem> problems;

  InvalidInventoryException(String source, List<Problem> problems) {
    super(CAUSE, message(source, problems));
    this.problems = List.copyOf(problems);
  }

  /** What is wrong, in file order. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(String source, List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid inventory needs at least one problem");
    }
    if (problems.size() == 1) {
      return problems.get(0).message();
    }
    return problems.size()
        + " problems in "
        + source
        + ": "
        + problems.stream().map(Problem::message).collect(Collectors.joining("; "));
  }
}
