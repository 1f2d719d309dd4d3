package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeVm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded {@code meshctl.jar} in a child JVM, as users do. Catches what in-process tests
 * cannot: a missing main class, service files lost in shading, classes left out of the jar.
 */
class MeshctlJarIT {
  private static final Path JAR = Path.of(System.getProperty("meshctl.jar", "target/meshctl.jar"));
  private static final Path EXAMPLES =
      Path.of(System.getProperty("meshctl.examples", "../examples"));

  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000000a";

  @TempDir Path dir;

  @Test
  void version_runsFromTheJar() throws Exception {
    Result result = meshctl("version");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("meshctl " + MeshctlVersion.version() + "\n");
  }

  @Test
  void discover_findsTheFileProviderThroughTheMergedServiceFiles() throws Exception {
    Result result =
        meshctl(
            "discover",
            "--provider",
            "file",
            "--inventory",
            EXAMPLES.resolve("inventory.yaml").toString(),
            "-o",
            "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).isEmpty();
    JsonNode document = new ObjectMapper().readTree(result.out());
    assertThat(document.get("total_instances").asInt()).isEqualTo(4);
  }

  @Test
  void discover_azure_usesTheShadedAzureSdkAgainstAFakeArm() throws Exception {
    try (FakeArm fake = FakeArm.start()) {
      fake.add(FakeVm.builder(SUBSCRIPTION, "rg", "vm-0").privateIp("10.0.0.4").build());

      Result result =
          meshctl(
              Map.of(
                  "IDENTITY_ENDPOINT", fake.identityEndpoint().toString(),
                  "IDENTITY_HEADER", fake.identityHeader()),
              List.of(
                  "-Djavax.net.ssl.trustStore=" + fake.writeTrustStore(dir),
                  "-Djavax.net.ssl.trustStorePassword=" + FakeArm.TRUST_STORE_PASSWORD,
                  "-Djavax.net.ssl.trustStoreType=PKCS12"),
              "discover",
              "--provider",
              "azure",
              "--subscription",
              SUBSCRIPTION,
              "--arm-endpoint",
              fake.endpoint().toString(),
              "--timeout",
              "60s",
              "-o",
              "json");

      assertThat(result.exitCode()).as(result.err()).isZero();
      JsonNode document = new ObjectMapper().readTree(result.out());
      assertThat(document.get("provider").asText()).isEqualTo("azure");
      assertThat(document.get("instances").get(0).get("name").asText()).isEqualTo("vm-0");
      assertThat(document.get("instances").get(0).get("private_ip").asText()).isEqualTo("10.0.0.4");
      assertThat(document.get("api_calls").asInt()).isPositive();
    }
  }

  @Test
  void failure_printsOneLineAndExitsWithOne() throws Exception {
    Path absent = dir.resolve("absent.yaml");

    Result result = meshctl("discover", "--provider", "file", "--inventory", absent.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("meshctl: inventory " + absent + " does not exist\n");
  }

  private Result meshctl(String... args) throws IOException, InterruptedException {
    return meshctl(Map.of(), List.of(), args);
  }

  private Result meshctl(Map<String, String> environment, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    assertThat(JAR).as("the shaded jar is built by the package phase").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process =
        builder
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("meshctl " + String.join(" ", args) + " did not exit in 60 s");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String out, String err) {}
}
