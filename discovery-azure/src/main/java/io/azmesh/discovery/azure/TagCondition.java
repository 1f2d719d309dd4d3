package io.azmesh.discovery.azure;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One tag filter term: {@code key=value} (the tag has exactly this value) or {@code key} (the tag
 * is present). Tag names compare ignoring case, as Azure treats them; values compare exactly.
 */
public record TagCondition(String key, Optional<String> value) {

  public TagCondition {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank()) {
      throw new IllegalArgumentException("tag key must not be blank");
    }
  }

  /** Parses {@code key=value} or {@code key}, naming the setting and value when it is malformed. */
  public static TagCondition parse(String setting, String text) {
    Objects.requireNonNull(text, "text");
    int eq = text.indexOf('=');
    String key = (eq < 0 ? text : text.substring(0, eq)).trim();
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          "setting "
              + setting
              + " is '"
              + text
              + "'; expected key=value or key, with a non-empty key");
    }
    return new TagCondition(key, eq < 0 ? Optional.empty() : Optional.of(text.substring(eq + 1)));
  }

  /** Whether {@code tags} satisfy this term. */
  public boolean matches(Map<String, String> tags) {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (tag.getKey().equalsIgnoreCase(key)) {
        return value.map(v -> v.equals(tag.getValue())).orElse(true);
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return key + value.map(v -> "=" + v).orElse("");
  }
}
