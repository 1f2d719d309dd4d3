package io.azmesh.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshctl status}: what a running control plane serves and what its proxies accepted. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Summarizes a running 'meshctl serve': discovery, endpoints per service (serving,"
            + " draining, total), proxies by sync state and per resource type, the first"
            + " problems and the last events, in at most 100 columns.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  meshctl status",
      "  meshctl status --url http://10.0.0.10:8080 --token-file /etc/azmesh/status-token",
      "  meshctl status -o json",
      "",
      "Exit code 1 when the status API cannot be read."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin StatusApiOptions api;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() throws Exception {
    StatusApiClient client = api.client(spec.commandLine());
    StatusSummary summary =
        new StatusSummary(
            client.get("/api/problems"),
            client.get("/api/nodes"),
            client.get("/api/services"),
            client.get("/api/events?limit=" + StatusSummary.SHOWN));
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.TABLE) {
      summary.print(out);
    } else {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("problems", summary.problems());
      document.put("nodes", summary.nodes());
      document.put("services", summary.services());
      document.put("events", summary.events());
      DocumentWriter.write(document, output, out);
    }
    out.flush();
    return 0;
  }
}
