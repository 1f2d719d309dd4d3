package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeScaleSet;
import io.azmesh.discovery.azure.testing.FakeVm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks have run. */
  private static final int SIGTERM_EXIT = 143;

  private static final Pattern SERVING =
      Pattern.compile("serving: discovery by file, xDS on (\\S+), status API on (\\S+)");

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

      Result result = discoverAzure(fake);

      assertThat(result.exitCode()).as(result.err()).isZero();
      JsonNode document = new ObjectMapper().readTree(result.out());
      assertThat(document.get("provider").asText()).isEqualTo("azure");
      assertThat(document.get("instances").get(0).get("name").asText()).isEqualTo("vm-0");
      assertThat(document.get("instances").get(0).get("private_ip").asText()).isEqualTo("10.0.0.4");
      // Every ARM request the fake answered, no more and no fewer.
      assertThat(document.get("api_calls").asInt()).isEqualTo(fake.armRequests().size());
    }
  }

  @Test
  void discover_azureResourceGroupWithReaderOnlyThereReportsEveryPowerStateWithoutPerVmCalls()
      throws Exception {
    try (FakeArm fake = FakeArm.start()) {
      List<String> states = List.of("running", "stopped", "deallocated", "starting");
      for (int i = 0; i < states.size(); i++) {
        fake.add(
            FakeVm.builder(SUBSCRIPTION, "rg-backends", "vm-" + states.get(i))
                .powerState(states.get(i))
                .privateIp("10.0.0." + (i + 4))
                .build());
      }
      fake.add(FakeVm.builder(SUBSCRIPTION, "rg-other", "not-mine").privateIp("10.9.0.4").build());
      fake.readableScopes("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-backends");

      Result result = discoverAzure(fake, "--resource-group", "rg-backends");

      assertThat(result.exitCode()).as(result.err()).isZero();
      JsonNode document = new ObjectMapper().readTree(result.out());
      assertThat(document.get("problems")).isEmpty();
      Map<String, String> powerStates = new java.util.TreeMap<>();
      document
          .get("instances")
          .forEach(i -> powerStates.put(i.get("name").asText(), i.get("power_state").asText()));
      assertThat(powerStates)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "vm-running", "running",
                  "vm-stopped", "stopped",
                  "vm-deallocated", "deallocated",
                  "vm-starting", "starting"));
      // Listings in the group and one Resource Graph query; no GET of a single VM.
      assertThat(fake.armRequests())
          .noneMatch(r -> r.path().toLowerCase(java.util.Locale.ROOT).contains("/virtualmachines/"))
          .anyMatch(r -> r.isResourceGraph());
      assertThat(document.get("api_calls").asInt()).isEqualTo(fake.armRequests().size());
      assertThat(document.get("rate_limit_remaining").asLong()).isPositive();
    }
  }

  @Test
  void discover_azureOnAzuresDocumentedEdgesServesTheRightInstancesWithoutPerVmCalls()
      throws Exception {
    try (FakeArm fake = FakeArm.start()) {
      String group = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-backends";
      fake.readableScopes(group);
      // Unsorted Resource Graph pages (3 of them), paced by a quota of 2 queries a second.
      for (int i = 0; i < 24; i++) {
        fake.add(
            FakeVm.builder(SUBSCRIPTION, "rg-backends", String.format("web-%02d", i))
                .tags(Map.of("mesh-service", "web"))
                .privateIp("10.0.0." + (i + 4))
                .build());
      }
      fake.resourceGraphPageSize(10).resourceGraphQuota(2, java.time.Duration.ofSeconds(1));
      // A running VM whose last operation (say an extension) failed, and one being deleted.
      fake.add(
          FakeVm.builder(SUBSCRIPTION, "rg-backends", "web-failed-ext")
              .tags(Map.of("mesh-service", "web"))
              .provisioningState("Failed")
              .privateIp("10.0.1.4")
              .build(),
          FakeVm.builder(SUBSCRIPTION, "rg-backends", "web-deleting")
              .tags(Map.of("mesh-service", "web"))
              .provisioningState("Deleting")
              .privateIp("10.0.1.5")
              .build());
      // A flexible scale set's VM tagged only through its scale set.
      fake.add(
          FakeScaleSet.flexible(SUBSCRIPTION, "rg-backends", "api", Map.of("mesh-service", "api")));
      fake.add(
          FakeVm.builder(SUBSCRIPTION, "rg-backends", "api_1")
              .flexibleScaleSet("api")
              .powerState("deallocated")
              .privateIp("10.0.2.4")
              .build());
      // Its power state left out of the first answer.
      fake.powerStateGap("web-07", 1);

      Result result =
          discoverAzure(fake, "--resource-group", "rg-backends", "--tag", "mesh-service");

      assertThat(result.exitCode()).as(result.err()).isZero();
      JsonNode document = new ObjectMapper().readTree(result.out());
      Map<String, String> powerStates = new java.util.TreeMap<>();
      document
          .get("instances")
          .forEach(i -> powerStates.put(i.get("name").asText(), i.get("power_state").asText()));
      assertThat(powerStates).hasSize(26).doesNotContainKey("web-deleting");
      assertThat(powerStates)
          .containsEntry("web-07", "running")
          .containsEntry("web-failed-ext", "running")
          .containsEntry("api_1", "deallocated");
      List<String> problems = new ArrayList<>();
      document.get("problems").forEach(p -> problems.add(p.get("message").asText()));
      assertThat(problems)
          .containsExactlyInAnyOrder(
              "web-failed-ext: provisioning state is 'Failed', its last operation failed;"
                  + " served by its power state",
              "web-deleting: provisioning state is 'Deleting', not served until it is Succeeded");
      assertThat(fake.armRequests())
          .noneMatch(
              r -> r.path().toLowerCase(java.util.Locale.ROOT).contains("/virtualmachines/"));
      // Three pages, read twice (the gap), never throttled.
      assertThat(fake.armRequests().stream().filter(r -> r.isResourceGraph())).hasSize(6);
      assertThat(document.get("rate_limit_budgets").has("resource-graph-user-quota")).isTrue();
    }
  }

  @Test
  void discover_azureWhenResourceGraphSeesNothingFailsAsAuthWithWhatToCheck() throws Exception {
    try (FakeArm fake = FakeArm.start()) {
      fake.add(FakeVm.builder(SUBSCRIPTION, "rg-backends", "vm-0").privateIp("10.0.0.4").build());
      fake.readableScopes("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-backends");
      fake.resourceGraphWithoutAccess();

      Result result = discoverAzure(fake, "--resource-group", "rg-backends");

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err())
          .startsWith(
              "meshctl: ARM lists 1 VMs in resource group rg-backends of subscription "
                  + SUBSCRIPTION
                  + " but Azure Resource Graph returned no rows at all");
    }
  }

  @Test
  void serve_answersOnTheStatusApiAndStopsCleanlyOnSigterm() throws Exception {
    Path err = dir.resolve("serve-err.txt");
    Process serve =
        IsolatedProcess.builder(
                java(),
                "-jar",
                JAR.toString(),
                "serve",
                "--provider",
                "file",
                "--inventory",
                EXAMPLES.resolve("inventory.yaml").toString(),
                "--xds-bind",
                "127.0.0.1",
                "--xds-port",
                "0",
                "--status-port",
                "0",
                "--state-dir",
                dir.resolve("state").toString())
            .redirectOutput(dir.resolve("serve-out.txt").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      Matcher serving = awaitLine(err, SERVING);
      String statusUrl = serving.group(2);
      // The first discovery runs on the loop's thread; the API shows it once it is published.
      awaitLine(err, Pattern.compile("snapshot-published snapshot 1: 2 services, 3 serving"));
      HttpResponse<String> vms =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(statusUrl + "api/vms")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(vms.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(vms.body()).get("total_vms").asInt()).isEqualTo(4);

      serve.destroy();

      assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
      assertThat(serve.exitValue()).isEqualTo(SIGTERM_EXIT);
      assertThat(Files.readString(err)).contains("stopped").doesNotContain("Exception");
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void failure_printsOneLineAndExitsWithOne() throws Exception {
    Path absent = dir.resolve("absent.yaml");

    Result result = meshctl("discover", "--provider", "file", "--inventory", absent.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("meshctl: inventory " + absent + " does not exist\n");
  }

  /**
   * {@code meshctl discover --provider azure ... -o json} against the fake, as managed identity.
   */
  private Result discoverAzure(FakeArm fake, String... extraArgs)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
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
                "json"));
    args.addAll(List.of(extraArgs));
    return meshctl(
        Map.of(
            "IDENTITY_ENDPOINT", fake.identityEndpoint().toString(),
            "IDENTITY_HEADER", fake.identityHeader()),
        List.of(
            "-Djavax.net.ssl.trustStore=" + fake.writeTrustStore(dir),
            "-Djavax.net.ssl.trustStorePassword=" + FakeArm.TRUST_STORE_PASSWORD,
            "-Djavax.net.ssl.trustStoreType=PKCS12"),
        args.toArray(String[]::new));
  }

  private Result meshctl(String... args) throws IOException, InterruptedException {
    return meshctl(Map.of(), List.of(), args);
  }

  private Result meshctl(Map<String, String> environment, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    assertThat(JAR).as("the shaded jar is built by the package phase").exists();
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = IsolatedProcess.builder(command, environment);
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

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits until a line of {@code file} matches; the child writes it when it gets there. */
  private static Matcher awaitLine(Path file, Pattern pattern)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      for (String line : Files.readAllLines(file)) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no line matching " + pattern + " within 60 s:\n" + Files.readString(file));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private record Result(int exitCode, String out, String err) {}
}
