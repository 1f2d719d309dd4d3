package io.azmesh.cli;

import io.azmesh.xds.bootstrap.AdsBootstrap;
import io.azmesh.xds.bootstrap.AdsBootstrapOptions;
import io.azmesh.xds.bootstrap.EdgeLimits;
import io.azmesh.xds.bootstrap.XdsApi;
import io.azmesh.xds.bootstrap.XdsTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code meshctl bootstrap}: an Envoy bootstrap that gets everything else from azmesh over ADS. */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    description =
        "Prints an Envoy bootstrap that points Envoy at an azmesh control plane over ADS (delta"
            + " by default), with keepalives on the xDS connection and the edge's overload"
            + " limits. The Terraform envoy-lb module's cloud-init writes the same document.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  meshctl bootstrap --xds-address 10.0.0.10:18000 --node-id edge-0 > envoy.yaml",
      "  meshctl bootstrap --xds-address 10.0.0.10:18000 --node-id edge-0 --xds-api sotw \\",
      "      --max-heap-mib 2048 --max-downstream-connections 50000 > envoy.yaml",
      "  meshctl bootstrap --xds-address cp.internal:18000 --node-id edge-0 \\",
      "      --xds-ca-file /etc/envoy/ca.pem --xds-cert-file /etc/envoy/edge.pem \\",
      "      --xds-key-file /etc/envoy/edge-key.pem -o json --out /etc/envoy/envoy.json"
    })
final class BootstrapCommand implements Callable<Integer> {
  /** The syntaxes a bootstrap can be printed in. */
  enum Format {
    YAML,
    JSON
  }

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Option(
      names = "--xds-address",
      paramLabel = "HOST:PORT",
      converter = HostPort.Converter.class,
      description = "The control plane's xDS address, e.g. 10.0.0.10:18000 (required).")
  HostPort xdsAddress;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "This Envoy's node id, unique per Envoy (required).")
  String nodeId;

  @Option(
      names = "--node-cluster",
      paramLabel = "NAME",
      defaultValue = AdsBootstrapOptions.DEFAULT_NODE_CLUSTER,
      description = "The node cluster shared by Envoys of one role (default: ${DEFAULT-VALUE}).")
  String nodeCluster;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "" + AdsBootstrapOptions.DEFAULT_ADMIN_PORT,
      description = "Envoy's admin port, bound to 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--xds-api",
      paramLabel = "API",
      defaultValue = "delta",
      description =
          "delta or sotw (default: ${DEFAULT-VALUE}): incremental ADS sends only what changed and"
              + " lets a reconnecting Envoy keep what it holds; sotw re-sends whole sets.")
  XdsApi xdsApi;

  @Option(
      names = "--max-heap-mib",
      paramLabel = "MIB",
      defaultValue = "1024",
      description =
          "Heap Envoy may use: it shrinks its heap at 95 % and stops accepting requests at 98 %"
              + " (default: ${DEFAULT-VALUE}).")
  long maxHeapMib;

  @Option(
      names = "--max-downstream-connections",
      paramLabel = "N",
      defaultValue = "25000",
      description =
          "Connections Envoy accepts at once, all listeners together (default: ${DEFAULT-VALUE}).")
  long maxDownstreamConnections;

  @Option(
      names = "--xds-ca-file",
      paramLabel = "PATH",
      description = "TLS: the CA bundle (on the Envoy host) that verifies the control plane.")
  String caFile;

  @Option(
      names = "--xds-cert-file",
      paramLabel = "PATH",
      description = "Mutual TLS: the certificate chain Envoy presents; needs --xds-key-file.")
  String certFile;

  @Option(
      names = "--xds-key-file",
      paramLabel = "PATH",
      description = "Mutual TLS: the private key of --xds-cert-file.")
  String keyFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      description = "yaml or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the bootstrap to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() {
    AdsBootstrap bootstrap = AdsBootstrap.of(options());
    String document = format == Format.JSON ? bootstrap.json() : bootstrap.yaml();
    if (out == null) {
      PrintWriter writer = spec.commandLine().getOut();
      writer.print(document);
      writer.flush();
    } else {
      try {
        Files.writeString(out, document);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
      }
    }
    return 0;
  }

  private AdsBootstrapOptions options() {
    if (xdsAddress == null) {
      throw usage("--xds-address is required, e.g. --xds-address 10.0.0.10:18000");
    }
    if (nodeId == null) {
      throw usage("--node-id is required, e.g. --node-id edge-0");
    }
    try {
      return AdsBootstrapOptions.builder(xdsAddress.host(), xdsAddress.port(), nodeId)
          .nodeCluster(nodeCluster)
          .adminPort(adminPort)
          .tls(tls())
          .xdsApi(xdsApi)
          .limits(new EdgeLimits(maxHeapMib * 1024 * 1024, maxDownstreamConnections))
          .build();
    } catch (IllegalArgumentException e) {
      throw usage("invalid bootstrap option: " + e.getMessage());
    }
  }

  /** Plaintext, server-verified TLS, or mutual TLS, from which of the three files are given. */
  private XdsTls tls() {
    if ((certFile == null) != (keyFile == null)) {
      throw usage("--xds-cert-file and --xds-key-file go together; give both or neither");
    }
    if (caFile == null) {
      if (certFile != null) {
        throw usage("--xds-cert-file needs --xds-ca-file to verify the control plane");
      }
      return null;
    }
    return certFile == null
        ? XdsTls.verifyServer(caFile)
        : XdsTls.mutual(caFile, certFile, keyFile);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
