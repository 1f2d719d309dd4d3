package io.azmesh.cli;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.Problem;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshctl discover}: runs one discovery and lists what it found. */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description = "Runs one discovery and lists the instances found and any problems.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  meshctl discover --provider file --inventory examples/inventory.yaml",
      "  meshctl discover --provider file --inventory examples/inventory.yaml -o json",
      "  meshctl discover --provider azure --subscription 0000-... --tag mesh-service",
      "",
      "Exit code 0 when discovery succeeded (problems with single instances are listed),"
          + " 1 when it failed, 2 on a usage error."
    })
final class DiscoverCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ProviderOptions provider;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() throws Exception {
    Discovery discovery;
    try (DiscoveryProvider source = provider.create(DiscoveryProviders.load())) {
      discovery = source.discover();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.TABLE) {
      printTable(discovery, out);
    } else {
      DocumentWriter.write(DiscoveryDocument.of(discovery), output, out);
    }
    out.flush();
    return 0;
  }

  private static void printTable(Discovery discovery, PrintWriter out) {
    TextTable table = new TextTable(DiscoveryDocument.COLUMNS);
    DiscoveryDocument.rows(discovery).forEach(table::row);
    table.print(out);
    out.printf(
        "%n%d instances from %s in %d ms (%d API calls)%n",
        discovery.instances().size(),
        discovery.stats().provider(),
        discovery.stats().elapsed().toMillis(),
        discovery.stats().apiCalls());
    if (!discovery.problems().isEmpty()) {
      out.printf("%n%d problems:%n", discovery.problems().size());
      for (Problem problem : discovery.problems()) {
        out.println("  " + problem.message());
      }
    }
  }
}
