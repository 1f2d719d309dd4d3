package io.azmesh.discovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Settings for a provider as named values, the common ground of CLI flags, config files and
 * environment variables. Keys are the CLI flag names without dashes, e.g. {@code inventory}, {@code
 * subscription}; repeatable settings hold several values.
 */
public final class ProviderSettings {
  private final Map<String, List<String>> values;

  private ProviderSettings(Map<String, List<String>> values) {
    TreeMap<String, List<String>> copy = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, "key");
          copy.put(k, List.copyOf(v));
        });
    this.values = java.util.Collections.unmodifiableSortedMap(copy);
  }

  public static ProviderSettings of(Map<String, List<String>> values) {
    return new ProviderSettings(values);
  }

  public static ProviderSettings empty() {
    return new ProviderSettings(Map.of());
  }

  /** The single value of {@code key}, if set. */
  public Optional<String> get(String key) {
    List<String> list = values.getOrDefault(key, List.of());
    if (list.size() > 1) {
      throw new IllegalArgumentException(
          "setting " + key + " is given " + list.size() + " times " + list + ", expected once");
    }
    return list.stream().findFirst();
  }

  /** The value of {@code key}; fails naming the key when it is not set. */
  public String require(String key) {
    return get(key)
        .orElseThrow(() -> new IllegalArgumentException("setting " + key + " is required"));
  }

  /** All values of a repeatable setting, in the order given. */
  public List<String> getAll(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** Every key that is set. */
  public java.util.Set<String> keys() {
    return values.keySet();
  }

  public Map<String, List<String>> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProviderSettings other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "ProviderSettings" + values.keySet();
  }
}
