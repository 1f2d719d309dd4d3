package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.EnvoyJson;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
  private static final String INVENTORY =
      """
      instances:
        - {name: web-0, private_ip: 10.0.0.4, zone: "1", tags: {mesh-service: web, mesh-port: "8080"}}
        - {name: api-0, private_ip: 10.0.1.4, zone: "1", tags: {mesh-service: api, mesh-port: "9090"}}
        - {name: api-1, private_ip: 10.0.1.5, zone: "2", tags: {mesh-service: api, mesh-port: http}}
      """;

  @TempDir Path dir;
  private Path inventory;

  @BeforeEach
  void writeInventory() throws Exception {
    inventory = Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
  }

  @Test
  void render_xds_printsWhatTheTranslatorMakesOfTheDiscovery() throws Exception {
    MeshctlRun run = render();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(EnvoyJson.xds(expected(MeshConfig.defaults())));
    JsonNode document = new ObjectMapper().readTree(run.out());
    assertThat(document.get("clusters").get("resources").findValuesAsText("name"))
        .containsExactly("api", "web");
  }

  @Test
  void render_listsInstanceProblemsOnStandardError() {
    MeshctlRun run = render();

    assertThat(run.err())
        .isEqualTo("problem: api-1: tag mesh-port is 'http', not a port number (1..65535)\n");
  }

  @Test
  void render_bootstrap_isAStaticEnvoyConfig() throws Exception {
    MeshctlRun run = render("--format", "bootstrap");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(EnvoyJson.bootstrap(expected(MeshConfig.defaults())));
    JsonNode bootstrap = new ObjectMapper().readTree(run.out());
    assertThat(bootstrap.get("static_resources").get("clusters").findValuesAsText("name"))
        .containsExactly("api", "web");
  }

  @Test
  void render_withMeshConfig_usesIt() throws Exception {
    String mesh = "services:\n  web:\n    port: 8443\n";
    Path config =
        Files.writeString(
            dir.resolve("azmesh.yaml"), mesh + "meshctl:\n  provider: file\n  inventory: x\n");

    MeshctlRun run = render("--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(EnvoyJson.xds(expected(MeshConfig.parse(mesh, config.toString()))));
  }

  @Test
  void render_theExampleConfigFile_isValidWithoutProblems() {
    MeshctlRun run =
        MeshctlRun.of(
            "render",
            "--config",
            "../examples/azmesh.yaml",
            "--inventory",
            "../examples/inventory.yaml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("\"timeout\" : \"30s\"", "\"retry_on\" : \"5xx,connect-failure\"");
  }

  @Test
  void render_theReadmesFirstRun_hasNoProblems() {
    // README: ./meshctl serve --provider file --inventory examples/inventory.yaml
    MeshctlRun run =
        MeshctlRun.of("render", "--provider", "file", "--inventory", "../examples/inventory.yaml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void render_out_writesOneFilePerType(@TempDir Path out) throws Exception {
    MeshctlRun run = render("--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    XdsResources resources = expected(MeshConfig.defaults());
    assertThat(Files.readString(out.resolve("clusters.json")))
        .isEqualTo(EnvoyJson.resources(resources.clusters()));
    assertThat(Files.readString(out.resolve("endpoints.json")))
        .isEqualTo(EnvoyJson.resources(resources.endpoints()));
    assertThat(out.resolve("listeners.json")).exists();
    assertThat(out.resolve("routes.json")).exists();
    assertThat(run.out()).contains("wrote " + out.resolve("clusters.json"));
  }

  @Test
  void render_badMeshConfig_namesFileAndField() throws Exception {
    Path config = Files.writeString(dir.resolve("mesh.yaml"), "servics: {}\n");

    MeshctlRun run = render("--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("meshctl: " + config + ":").contains("servics");
  }

  @Test
  void render_missingInventory_failsWithOneLine() {
    Path absent = dir.resolve("absent.yaml");

    MeshctlRun run =
        MeshctlRun.of("render", "--provider", "file", "--inventory", absent.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("meshctl: inventory " + absent + " does not exist\n");
  }

  @Test
  void render_badFormat_isAUsageError() {
    MeshctlRun run = render("--format", "envoy");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--format': expected one of [XDS, BOOTSTRAP]"
                + " (case-insensitive) but was 'envoy'\n");
  }

  private XdsResources expected(MeshConfig mesh) throws Exception {
    try (FileDiscoveryProvider provider = FileDiscoveryProvider.of(inventory)) {
      return new Translator()
          .translate(mesh, provider.discover().instances(), Set.of())
          .resources();
    }
  }

  private MeshctlRun render(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "render";
    all[1] = "--provider";
    all[2] = "file";
    all[3] = "--inventory";
    all[4] = inventory.toString();
    System.arraycopy(args, 0, all, 5, args.length);
    return MeshctlRun.of(all);
  }
}
