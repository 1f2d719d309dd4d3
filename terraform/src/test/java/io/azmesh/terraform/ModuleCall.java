package io.azmesh.terraform;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code module} block: where it points and which input variables it passes.
 *
 * @param name the module's local name, as in {@code module.<name>.<output>}
 * @param source the {@code source} argument
 * @param inputs arguments other than Terraform's meta-arguments, sorted
 */
record ModuleCall(String name, String source, Set<String> inputs) {

  /** Arguments Terraform itself interprets; they are not input variables of the called module. */
  static final Set<String> META_ARGUMENTS =
      Set.of("source", "version", "count", "for_each", "providers", "depends_on");

  ModuleCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    inputs = Collections.unmodifiableSortedSet(new TreeSet<>(inputs));
  }
}
