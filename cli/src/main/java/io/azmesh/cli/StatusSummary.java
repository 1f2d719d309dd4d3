package io.azmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * {@code meshctl status} as a table: discovery, each service's endpoints, proxies by sync state,
 * the first problems and the last events, every line at most {@link #WIDTH} columns (a longer one
 * ends in an ellipsis; {@code -o json} and {@code meshctl events} have the whole text).
 *
 * @param problems {@code /api/problems}
 * @param nodes {@code /api/nodes}
 * @param services {@code /api/services}
 * @param events {@code /api/events} with the last {@link #SHOWN} events
 */
record StatusSummary(JsonNode problems, JsonNode nodes, JsonNode services, JsonNode events) {

  /** The widest line printed. */
  static final int WIDTH = 100;

  /** How many problems and events are shown. */
  static final int SHOWN = 5;

  void print(PrintWriter out) {
    StringWriter text = new StringWriter();
    PrintWriter lines = new PrintWriter(text);
    ProxyStatus.printDiscovery(problems, lines);
    lines.printf("Snapshot: version %d%n%n", nodes.path("snapshot_version").asLong());
    printServices(lines);
    lines.println();
    ProxyStatus.printProxies(nodes, lines);
    printProblems(lines);
    printEvents(lines);
    lines.flush();
    text.toString().lines().map(StatusSummary::fit).forEach(out::println);
    out.flush();
  }

  private void printServices(PrintWriter out) {
    if (services.path("services").isEmpty()) {
      out.println("No services published.");
      return;
    }
    TextTable table = new TextTable(List.of("SERVICE", "SERVING", "DRAINING", "TOTAL"));
    for (JsonNode service : services.path("services")) {
      table.row(
          List.of(
              service.path("service").isTextual()
                  ? service.path("service").asText()
                  : service.path("cluster").asText("-"),
              service.path("endpoints_serving").asText(),
              service.path("endpoints_draining").asText(),
              service.path("endpoints_total").asText()));
    }
    table.print(out);
  }

  private void printProblems(PrintWriter out) {
    JsonNode all = problems.path("problems");
    if (all.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        all.size() > SHOWN
            ? "Problems (first " + SHOWN + " of " + all.size() + "):"
            : "Problems (" + all.size() + "):");
    for (int i = 0; i < Math.min(SHOWN, all.size()); i++) {
      out.println("  " + all.get(i).path("message").asText());
    }
  }

  private void printEvents(PrintWriter out) {
    JsonNode last = events.path("events");
    out.println();
    if (last.isEmpty()) {
      out.println("No events.");
      return;
    }
    out.println("Last " + last.size() + " events:");
    EventTable table = new EventTable(last);
    table.printHeader(out);
    last.forEach(event -> table.print(event, out));
  }

  private static String fit(String line) {
    return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 1) + "…";
  }
}
