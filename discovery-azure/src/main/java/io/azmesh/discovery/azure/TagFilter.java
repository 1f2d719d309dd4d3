package io.azmesh.discovery.azure;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which machines are in scope by their tags: every include term must match and no exclude term may
 * match. No terms at all accepts everything.
 */
public record TagFilter(List<TagCondition> include, List<TagCondition> exclude) {

  public TagFilter {
    include = List.copyOf(Objects.requireNonNull(include, "include"));
    exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
  }

  /** Accepts every machine. */
  public static TagFilter all() {
    return new TagFilter(List.of(), List.of());
  }

  /** Whether a machine with {@code tags} is in scope. */
  public boolean accepts(Map<String, String> tags) {
    Map<String, String> present = tags == null ? Map.of() : tags;
    return include.stream().allMatch(term -> term.matches(present))
        && exclude.stream().noneMatch(term -> term.matches(present));
  }
}
