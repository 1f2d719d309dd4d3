package io.azmesh.cli;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.EnvoyJson;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translation;
import io.azmesh.xds.translator.Translator;
import io.azmesh.xds.translator.XdsValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshctl render}: the Envoy configuration the current discovery translates into. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description =
        "Runs one discovery and prints the Envoy configuration it becomes: the xDS resources"
            + " serve would publish, or a complete static Envoy bootstrap.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  meshctl render --provider file --inventory examples/inventory.yaml",
      "  meshctl render --provider file --inventory examples/inventory.yaml --format bootstrap \\",
      "      > envoy.json && envoy -c envoy.json",
      "  meshctl render --provider file --inventory examples/inventory.yaml --out rendered/",
      "",
      "Problems with single instances go to standard error. Exit code 1 when discovery fails or"
          + " the resources fail validation (serve would not publish them)."
    })
final class RenderCommand implements Callable<Integer> {
  /** What to render. */
  enum Format {
    /** The resources per type with their versions, as serve publishes them. */
    XDS,
    /** A static Envoy bootstrap that serves the same mesh without a control plane. */
    BOOTSTRAP
  }

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ProviderOptions provider;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "xds",
      description = "xds or bootstrap (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write files into DIR instead of standard output: clusters.json, endpoints.json,"
              + " listeners.json and routes.json for xds; envoy.json for bootstrap.")
  Path out;

  @Override
  public Integer call() throws Exception {
    MeshConfig mesh = common.meshConfig(spec.commandLine());
    Discovery discovery;
    try (DiscoveryProvider source = provider.create(DiscoveryProviders.load())) {
      discovery = source.discover();
    }
    Translation translation = new Translator().translate(mesh, discovery.instances(), Set.of());
    PrintWriter err = spec.commandLine().getErr();
    discovery.problems().forEach(p -> err.println("problem: " + p.message()));
    translation.problems().stream()
        .map(Problem::message)
        .forEach(message -> err.println("problem: " + message));
    err.flush();
    XdsResources resources = translation.resources();
    List<String> violations = new XdsValidator().validate(resources);
    if (!violations.isEmpty()) {
      throw new InvalidResourcesException(violations);
    }
    if (out == null) {
      PrintWriter writer = spec.commandLine().getOut();
      writer.print(
          format == Format.XDS ? EnvoyJson.xds(resources) : EnvoyJson.bootstrap(resources));
      writer.flush();
    } else {
      write(files(resources));
    }
    return 0;
  }

  private Map<String, String> files(XdsResources resources) {
    Map<String, String> files = new LinkedHashMap<>();
    if (format == Format.BOOTSTRAP) {
      files.put("envoy.json", EnvoyJson.bootstrap(resources));
    } else {
      files.put("clusters.json", EnvoyJson.resources(resources.clusters()));
      files.put("endpoints.json", EnvoyJson.resources(resources.endpoints()));
      files.put("listeners.json", EnvoyJson.resources(resources.listeners()));
      files.put("routes.json", EnvoyJson.resources(resources.routes()));
    }
    return files;
  }

  private void write(Map<String, String> files) {
    try {
      Files.createDirectories(out);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(out.resolve(file.getKey()), file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + out + ": " + e.getMessage(), e);
    }
    PrintWriter writer = spec.commandLine().getOut();
    files.keySet().forEach(name -> writer.println("wrote " + out.resolve(name)));
    writer.flush();
  }

  /** Resources that fail validation: serve would keep its last snapshot instead. */
  static final class InvalidResourcesException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidResourcesException(List<String> violations) {
      super(
          "the rendered resources fail validation, serve would not publish them: "
              + String.join("; ", violations));
    }
  }
}
