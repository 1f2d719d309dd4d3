package io.azmesh.terraform;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One {@code module} block: where it points and which input variables it passes.
 *
 * @param name the module's local name, as in {@code module.<name>.<output>}
 * @param source the {@code source} argument
 * @param arguments the input variables passed, by name, sorted; values as plain data, with
 *     references as their source text (e.g. {@code module.backends.resource_group_id}) and null
 *     where hcl4j could not evaluate a function call
 */
record ModuleCall(String name, String source, Map<String, Object> arguments) {

  /** Arguments Terraform itself interprets; they are not input variables of the called module. */
  static final Set<String> META_ARGUMENTS =
      Set.of("source", "version", "count", "for_each", "providers", "depends_on");

  ModuleCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    // TreeMap, not Map.copyOf: an argument hcl4j could not evaluate is kept with a null value.
    arguments = Collections.unmodifiableMap(new TreeMap<>(arguments));
  }

  /** The names of the input variables passed, sorted. */
  Set<String> inputs() {
    return arguments.keySet();
  }
}
