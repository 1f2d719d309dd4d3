package io.azmesh.cli;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A discovery as a plain document of maps and lists, with the snake_case names of the inventory
 * format and the status API, for JSON and YAML output. Absent values are {@code null}, not missing,
 * so scripts can rely on every key.
 */
final class DiscoveryDocument {
  /** The columns of {@link #rows}. */
  static final List<String> COLUMNS =
      List.of("NAME", "PRIVATE IP", "PUBLIC IP", "LOCATION", "ZONE", "POWER", "KIND", "TAGS");

  private DiscoveryDocument() {}

  static Map<String, Object> of(Discovery discovery) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("provider", discovery.stats().provider());
    document.put("observed_at", discovery.observedAt().toString());
    document.put("api_calls", discovery.stats().apiCalls());
    // Azure: the lowest x-ms-ratelimit-remaining-* value seen; null when the source reports none.
    document.put(
        "rate_limit_remaining",
        discovery.stats().rateLimitRemaining().isPresent()
            ? discovery.stats().rateLimitRemaining().getAsLong()
            : null);
    // Azure: each announced budget by its policy name (they refill at different rates).
    document.put("rate_limit_budgets", discovery.stats().rateLimitBudgets());
    document.put("elapsed_ms", discovery.stats().elapsed().toMillis());
    document.put("total_instances", discovery.instances().size());
    document.put("instances", discovery.instances().stream().map(DiscoveryDocument::of).toList());
    document.put("problems", discovery.problems().stream().map(DiscoveryDocument::of).toList());
    return document;
  }

  private static Map<String, Object> of(Instance instance) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", instance.id());
    map.put("name", instance.name());
    map.put("private_ip", instance.privateIp());
    map.put("public_ip", instance.publicIp().orElse(null));
    map.put("location", instance.location().orElse(null));
    map.put("zone", instance.zone().orElse(null));
    map.put("power_state", instance.powerState().code());
    map.put("kind", instance.kind().name().toLowerCase(Locale.ROOT));
    map.put("tags", instance.tags());
    return map;
  }

  private static Map<String, Object> of(Problem problem) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("subject", problem.subject());
    map.put("field", problem.field());
    map.put("value", problem.value().orElse(null));
    map.put("reason", problem.reason());
    map.put("message", problem.message());
    return map;
  }

  /** Rows for the table output: one per instance. */
  static List<List<String>> rows(Discovery discovery) {
    return discovery.instances().stream()
        .map(
            i ->
                List.of(
                    i.name(),
                    i.privateIp(),
                    i.publicIp().orElse("-"),
                    i.location().orElse("-"),
                    i.zone().orElse("-"),
                    i.powerState().code(),
                    i.kind().name().toLowerCase(Locale.ROOT),
                    tags(i.tags())))
        .toList();
  }

  private static String tags(Map<String, String> tags) {
    if (tags.isEmpty()) {
      return "-";
    }
    StringBuilder text = new StringBuilder();
    tags.forEach(
        (k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return text.toString();
  }
}
