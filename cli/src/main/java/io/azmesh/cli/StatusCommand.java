package io.azmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code meshctl status}: what a running control plane serves and what its proxies accepted. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows the connected proxies and their sync state per resource type, with a discovery"
            + " summary, from a running 'meshctl serve'.",
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

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "The status API of meshctl serve (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token-file",
      paramLabel = "PATH",
      description = "A file holding the status API's bearer token, if it requires one.")
  Path tokenFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() throws Exception {
    StatusApiClient client = new StatusApiClient(baseUri(), token());
    JsonNode problems = client.get("/api/problems");
    JsonNode nodes = client.get("/api/nodes");
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.TABLE) {
      ProxyStatus.print(problems, nodes, out);
    } else {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("problems", problems);
      document.put("nodes", nodes);
      DocumentWriter.write(document, output, out);
    }
    out.flush();
    return 0;
  }

  private URI baseUri() {
    ParameterException notHttp =
        new ParameterException(
            spec.commandLine(),
            "--url is '" + url + "', not an http(s) URL such as http://127.0.0.1:8080");
    URI uri;
    try {
      uri = new URI(url.endsWith("/") ? url : url + "/");
    } catch (URISyntaxException e) {
      throw notHttp;
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw notHttp;
    }
    return uri;
  }

  private Optional<String> token() {
    if (tokenFile == null) {
      return Optional.empty();
    }
    try {
      String token = Files.readString(tokenFile).strip();
      if (token.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--token-file " + tokenFile + " is empty");
      }
      return Optional.of(token);
    } catch (NoSuchFileException e) {
      throw new ParameterException(
          spec.commandLine(), "--token-file " + tokenFile + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --token-file " + tokenFile, e);
    }
  }
}
