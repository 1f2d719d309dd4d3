package io.azmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.xds.server.loop.MeshEvent;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Events of {@code /api/events} as aligned rows, like {@code kubectl get events}: TIME, TYPE, KIND,
 * SUBJECT, SERVICE, REASON. Rows printed later (while following) keep the widths of the first ones
 * and widen a column only when a value needs it, so the header stays usable.
 */
final class EventTable {
  private static final List<String> HEADER =
      List.of("TIME", "TYPE", "KIND", "SUBJECT", "SERVICE", "REASON");

  private final int[] widths = new int[HEADER.size() - 1];

  /** A table whose columns fit {@code events} (a JSON array), the first rows it prints. */
  EventTable(JsonNode events) {
    fit(HEADER);
    widths[0] = Math.max(widths[0], "2026-01-01T00:00:00Z".length());
    widths[1] = Math.max(widths[1], "Warning".length());
    for (MeshEvent.Kind kind : MeshEvent.Kind.values()) {
      widths[2] = Math.max(widths[2], kind.label().length());
    }
    events.forEach(event -> fit(cells(event)));
  }

  void printHeader(PrintWriter out) {
    out.println(line(HEADER));
  }

  void print(JsonNode event, PrintWriter out) {
    List<String> cells = cells(event);
    fit(cells);
    out.println(line(cells));
  }

  private void fit(List<String> cells) {
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i], cells.get(i).length());
    }
  }

  private String line(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      line.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length() + 2));
    }
    return line.append(cells.get(widths.length)).toString().stripTrailing();
  }

  /** One event's cells; the time to the second, as kubectl shows it. */
  static List<String> cells(JsonNode event) {
    String at = event.path("at").asText("-");
    String severity = event.path("severity").asText("normal");
    return List.of(
        at.replaceFirst("\\.\\d+Z$", "Z"),
        severity.isEmpty()
            ? "-"
            : severity.substring(0, 1).toUpperCase(Locale.ROOT) + severity.substring(1),
        event.path("kind").asText("-"),
        event.path("subject").asText("-"),
        event.path("service").isTextual() ? event.path("service").asText() : "-",
        event.path("reason").asText(""));
  }
}
