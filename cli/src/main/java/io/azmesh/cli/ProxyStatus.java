package io.azmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy-status table of {@code /api/nodes}, like {@code istioctl proxy-status}, and the
 * discovery summary of {@code /api/problems}. Reads JSON nodes rather than status-http's classes,
 * so a meshctl of another version can still read a server's answer.
 */
final class ProxyStatus {
  /** Resource types in the order Envoy applies them, with their xDS short names. */
  private static final List<Map.Entry<String, String>> TYPES =
      List.of(
          Map.entry("clusters", "CDS"),
          Map.entry("endpoints", "EDS"),
          Map.entry("listeners", "LDS"),
          Map.entry("routes", "RDS"));

  private ProxyStatus() {}

  /** How many proxies are in each sync state, then one row per proxy and its NACKs. */
  static void printProxies(JsonNode nodes, PrintWriter out) {
    if (nodes.path("nodes").isEmpty()) {
      out.println("No xDS clients connected.");
      return;
    }
    Map<String, Integer> bySync = new LinkedHashMap<>();
    for (String sync : List.of("synced", "stale", "nacked")) {
      bySync.put(sync, 0);
    }
    nodes.path("nodes").forEach(n -> bySync.merge(n.path("sync").asText("-"), 1, Integer::sum));
    List<String> counts = new ArrayList<>();
    bySync.forEach((sync, count) -> counts.add(count + " " + sync));
    out.println("Proxies: " + String.join(", ", counts));
    List<String> header = new ArrayList<>(List.of("NODE", "CLUSTER", "SYNC"));
    TYPES.forEach(type -> header.add(type.getValue()));
    header.add("USER AGENT");
    TextTable table = new TextTable(header);
    List<String> nacks = new ArrayList<>();
    for (JsonNode node : nodes.path("nodes")) {
      String nodeId = node.path("node_id").asText();
      List<String> row = new ArrayList<>();
      row.add(nodeId);
      row.add(node.path("cluster").asText("-"));
      row.add(node.path("sync").asText("-").toUpperCase(java.util.Locale.ROOT));
      TYPES.forEach(
          entry -> {
            String type = entry.getKey();
            JsonNode status = node.path("types").path(type);
            row.add(typeState(status));
            JsonNode nack = status.path("last_nack");
            if (nack.isObject()) {
              nacks.add(
                  nodeId
                      + " NACKed "
                      + type
                      + " version "
                      + nack.path("version").asText()
                      + ": "
                      + nack.path("error_detail").asText());
            }
          });
      row.add(node.path("user_agent").asText("-"));
      table.row(row);
    }
    table.print(out);
    if (!nacks.isEmpty()) {
      out.println();
      nacks.forEach(out::println);
    }
  }

  static void printDiscovery(JsonNode problems, PrintWriter out) {
    out.printf(
        "Discovery: %s, last success %s, %d consecutive failures, %d problems%n",
        problems.path("provider").asText("-"),
        problems.path("last_success").isTextual()
            ? problems.path("last_success").asText()
            : "never",
        problems.path("consecutive_failures").asInt(),
        problems.path("problems").size());
    JsonNode error = problems.path("last_error");
    if (error.isObject()) {
      out.printf(
          "Last discovery error (%s) at %s: %s%n",
          error.path("cause").asText(), error.path("at").asText(), error.path("message").asText());
    }
    JsonNode feed = problems.path("change_feed");
    if (feed.isObject()) {
      out.printf(
          "Change queue: %s since %s%n  %s%n",
          feed.path("state").asText(), feed.path("since").asText(), feed.path("source").asText());
      if (feed.path("cause").isTextual()) {
        out.printf("  %s%n", feed.path("cause").asText());
      }
      out.printf(
          "  events read %d, ignored %d, rejected %d; %d refreshes, %d unannounced changes;"
              + " oldest message %s%n",
          feed.path("events_read").asLong(),
          feed.path("events_ignored").asLong(),
          feed.path("messages_rejected").asLong(),
          feed.path("refreshes_requested").asLong(),
          feed.path("unannounced_changes").asLong(),
          feed.path("oldest_message_age_seconds").isNumber()
              ? feed.path("oldest_message_age_seconds").asDouble() + " s"
              : "none");
    }
  }

  /** SYNCED when the sent version is ACKed, NACKED when it was rejected, STALE while waiting. */
  private static String typeState(JsonNode status) {
    JsonNode sent = status.path("sent_version");
    if (!sent.isTextual()) {
      return "NOT SENT";
    }
    JsonNode nack = status.path("last_nack");
    if (nack.isObject() && nack.path("version").asText().equals(sent.asText())) {
      return "NACKED";
    }
    return sent.asText().equals(status.path("acked_version").asText(null)) ? "SYNCED" : "STALE";
  }
}
