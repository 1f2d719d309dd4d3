package io.azmesh.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where a running {@code meshctl serve}'s status API is, for the commands that read it. */
public final class StatusApiOptions {
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

  /** A client of the status API; a malformed URL or an unreadable token file is a usage error. */
  StatusApiClient client(CommandLine commandLine) {
    return new StatusApiClient(baseUri(commandLine), token(commandLine));
  }

  private URI baseUri(CommandLine commandLine) {
    ParameterException notHttp =
        new ParameterException(
            commandLine,
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

  private Optional<String> token(CommandLine commandLine) {
    if (tokenFile == null) {
      return Optional.empty();
    }
    try {
      String token = Files.readString(tokenFile).strip();
      if (token.isEmpty()) {
        throw new ParameterException(commandLine, "--token-file " + tokenFile + " is empty");
      }
      return Optional.of(token);
    } catch (NoSuchFileException e) {
      throw new ParameterException(commandLine, "--token-file " + tokenFile + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --token-file " + tokenFile, e);
    }
  }
}
