package io.azmesh.discovery.azure.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite's queue service, the Azure Storage emulator (npm {@code azurite}, pinned in {@code
 * discovery-azure-testing/azurite/package.json}; {@code npm ci} there installs it), run by a test
 * on 127.0.0.1 on a port it picks itself, with nothing kept on disk.
 *
 * <p>Without node or the installed package a test is skipped, except in CI ({@code CI=true}), where
 * {@code .ci/run} installs them and their absence fails the test.
 */
public final class Azurite implements AutoCloseable {
  /** Azurite's well-known development account and key (public, documented by Azurite). */
  public static final String ACCOUNT = "devstoreaccount1";

  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Pattern LISTENING =
      Pattern.compile("Queue service successfully listens on (http://127\\.0\\.0\\.1:(\\d+))");
  private static final Path MAIN =
      Path.of("azurite", "node_modules", "azurite", "dist", "src", "queue", "main.js");

  private final Process process;
  private final int port;
  private final List<String> output;

  private Azurite(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** Starts Azurite's queue service, or skips (fails in CI) the test when it is not installed. */
  public static Azurite startOrSkip() {
    Optional<String> missing = missing();
    if (missing.isPresent()) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing.get() + "; in CI, .ci/run installs it");
      }
      Assumptions.abort(missing.get() + "; skipped outside CI");
    }
    return start(node().orElseThrow(), main().orElseThrow());
  }

  /** Why Azurite cannot run here, if it cannot. */
  static Optional<String> missing() {
    if (node().isEmpty()) {
      return Optional.of("node is not on the PATH");
    }
    if (main().isEmpty()) {
      return Optional.of("azurite is not installed (npm ci in discovery-azure-testing/azurite)");
    }
    return Optional.empty();
  }

  private static Azurite start(Path node, Path main) {
    Process process;
    try {
      process =
          new ProcessBuilder(
                  node.toString(),
                  main.toString(),
                  "--queueHost",
                  "127.0.0.1",
                  "--queuePort",
                  "0",
                  "--inMemoryPersistence",
                  "--skipApiVersionCheck",
                  "--loose",
                  "--disableTelemetry")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start azurite with " + node, e);
    }
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(2)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("azurite exited"));
            },
            "azurite-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new Azurite(process, port.get(60, TimeUnit.SECONDS), output);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while azurite started", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "azurite did not start; it said:\n" + String.join("\n", output), e);
    }
  }

  /** The queue service's endpoint: {@code http://127.0.0.1:{port}/devstoreaccount1}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port + "/" + ACCOUNT);
  }

  /** The URL of queue {@code name}, without authorization. */
  public URI queueUrl(String name) {
    return URI.create(endpoint() + "/" + name);
  }

  /** A connection string with the development account's key, for the test's own client. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + ACCOUNT_KEY
        + ";QueueEndpoint="
        + endpoint()
        + ";";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<Path> node() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Azurite's queue entry point, looked for from the working directory up to the repository. */
  private static Optional<Path> main() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("discovery-azure-testing").resolve(MAIN);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
      Path here = dir.resolve(MAIN);
      if (Files.isRegularFile(here)) {
        return Optional.of(here);
      }
    }
    return Optional.empty();
  }
}
