package io.azmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl events}: what a running control plane changed and why, like {@code kubectl get
 * events [--watch]}.
 */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Lists the events a running 'meshctl serve' keeps (instances added, draining and removed,"
            + " snapshots published, discovery failures, proxies NACKing, ...), oldest first;"
            + " with --follow, then prints new ones as they happen until Ctrl-C.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  meshctl events",
      "  meshctl events --follow",
      "  meshctl events --kind proxy-nacked --service web -o json",
      "",
      "Exit code 1 when the status API cannot be read."
    })
final class EventsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin StatusApiOptions api;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description = "Only events of this kind, e.g. instance-draining or proxy-nacked.")
  String kind;

  @Option(names = "--service", paramLabel = "NAME", description = "Only events of this service.")
  String service;

  @Option(
      names = {"-f", "--follow"},
      description = "After the events kept, print new ones as they happen, until Ctrl-C.")
  boolean follow;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "With --follow, how often to ask for new events (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table, json or yaml (default: ${DEFAULT-VALUE}); with --follow, json prints one event"
              + " per line and yaml is not available.")
  OutputFormat output;

  @Override
  public Integer call() throws Exception {
    if (follow && output == OutputFormat.YAML) {
      throw new ParameterException(
          spec.commandLine(), "--follow prints a table or JSON lines, not yaml");
    }
    if (follow && interval.compareTo(SHORTEST_INTERVAL) < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--interval is " + interval.toMillis() + "ms; ask at most every 100ms");
    }
    StatusApiClient client = api.client(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    JsonNode first = client.get(path(0));
    if (!follow) {
      print(first, out);
      return 0;
    }
    EventTable table = new EventTable(first.path("events"));
    if (output == OutputFormat.TABLE) {
      table.printHeader(out);
    }
    long since = emit(first, table, out);
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(interval.toMillis());
        JsonNode next = client.get(path(since));
        if (next.path("last_sequence").asLong() < since) {
          PrintWriter err = spec.commandLine().getErr();
          err.println("meshctl: the control plane's event history started over; reading it anew");
          err.flush();
          since = 0;
          continue;
        }
        reportDropped(next, since);
        since = emit(next, table, out);
      }
    } catch (InterruptedException e) {
      // Stopped from outside, as Ctrl-C does: what was printed stands.
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private void print(JsonNode body, PrintWriter out) {
    if (output == OutputFormat.TABLE) {
      JsonNode events = body.path("events");
      if (events.isEmpty()) {
        out.println("No events.");
      } else {
        EventTable table = new EventTable(events);
        table.printHeader(out);
        events.forEach(event -> table.print(event, out));
      }
      out.flush();
    } else {
      DocumentWriter.write(body, output, out);
    }
  }

  /** Prints each event of {@code body}; returns its last sequence. */
  private long emit(JsonNode body, EventTable table, PrintWriter out) throws Exception {
    for (JsonNode event : body.path("events")) {
      if (output == OutputFormat.JSON) {
        out.println(JSON.writeValueAsString(event));
      } else {
        table.print(event, out);
      }
    }
    out.flush();
    return body.path("last_sequence").asLong();
  }

  /** Says so on stderr when events after {@code since} were dropped before they were read. */
  private void reportDropped(JsonNode body, long since) {
    long first = body.path("first_sequence").asLong();
    if (first > since + 1) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "meshctl: events %d to %d were dropped before they were read (the control plane keeps"
              + " only the newest)%n",
          since + 1, first - 1);
      err.flush();
    }
  }

  private String path(long since) {
    List<String> query = new ArrayList<>();
    if (since > 0) {
      query.add("since=" + since);
    }
    if (kind != null) {
      query.add("kind=" + URLEncoder.encode(kind, StandardCharsets.UTF_8));
    }
    if (service != null) {
      query.add("service=" + URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    return "/api/events" + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }
}
