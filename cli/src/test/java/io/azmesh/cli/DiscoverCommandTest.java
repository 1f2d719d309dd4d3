package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoverCommandTest {
  private static final String INVENTORY =
      """
      instances:
        - name: web-0
          private_ip: 10.0.0.4
          public_ip: 20.1.2.3
          location: westeurope
          zone: "1"
          tags: {mesh-service: web, mesh-port: "8080"}
        - name: api-0
          private_ip: 10.0.1.4
          power_state: stopped
      """;

  @TempDir Path dir;
  private Path inventory;

  @BeforeEach
  void writeInventory() throws Exception {
    inventory = Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
  }

  @Test
  void discover_table_listsInstancesSortedById() {
    MeshctlRun run = discover("--inventory", inventory.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().limit(3))
        .containsExactly(
            "NAME   PRIVATE IP  PUBLIC IP  LOCATION    ZONE  POWER    KIND    TAGS",
            "api-0  10.0.1.4    -          -           -     stopped  static  -",
            "web-0  10.0.0.4    20.1.2.3   westeurope  1     running  static"
                + "  mesh-port=8080,mesh-service=web");
    assertThat(run.out()).containsPattern("\n2 instances from file in \\d+ ms \\(0 API calls\\)\n");
  }

  @Test
  void discover_inventorySettleZero_isAcceptedAsDocsCliWritesIt() {
    MeshctlRun run = discover("--inventory", inventory.toString(), "--inventory-settle", "0");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("\n2 instances from file in ");
  }

  @Test
  void discover_json_isSnakeCaseWithNullsForAbsentValues() throws Exception {
    MeshctlRun run = discover("--inventory", inventory.toString(), "-o", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode document = new ObjectMapper().readTree(run.out());
    assertThat(document.get("provider").asText()).isEqualTo("file");
    assertThat(document.get("total_instances").asInt()).isEqualTo(2);
    JsonNode api = document.get("instances").get(0);
    assertThat(api.get("name").asText()).isEqualTo("api-0");
    assertThat(api.get("public_ip").isNull()).isTrue();
    assertThat(api.get("power_state").asText()).isEqualTo("stopped");
    JsonNode web = document.get("instances").get(1);
    assertThat(web.get("private_ip").asText()).isEqualTo("10.0.0.4");
    assertThat(web.get("public_ip").asText()).isEqualTo("20.1.2.3");
    assertThat(web.get("zone").asText()).isEqualTo("1");
    assertThat(web.get("tags").get("mesh-port").asText()).isEqualTo("8080");
    assertThat(document.get("problems")).isEmpty();
  }

  @Test
  void discover_yaml_isTheSameDocument() throws Exception {
    MeshctlRun yaml = discover("--inventory", inventory.toString(), "-o", "yaml");
    MeshctlRun json = discover("--inventory", inventory.toString(), "-o", "json");

    JsonNode fromYaml = new YAMLMapper().readTree(yaml.out());
    JsonNode fromJson = new ObjectMapper().readTree(json.out());
    assertThat(fromYaml.get("instances")).isEqualTo(fromJson.get("instances"));
  }

  @Test
  void discover_theExampleInventory_listsTwoServices() {
    MeshctlRun run = discover("--inventory", "../examples/inventory.yaml");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("mesh-service=web")
        .contains("mesh-service=api")
        .contains("4 instances from file");
  }

  @Test
  void discover_missingInventory_failsWithOneLine() {
    Path absent = dir.resolve("absent.yaml");

    MeshctlRun run = discover("--inventory", absent.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("meshctl: inventory " + absent + " does not exist\n");
  }

  @Test
  void discover_invalidInventory_namesFileLineAndValue() throws Exception {
    Files.writeString(inventory, "instances:\n  - name: web-0\n    private_ip: 10.0.0.999\n");

    MeshctlRun run = discover("--inventory", inventory.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("meshctl: " + inventory + ":3: private_ip is '10.0.0.999', not an IP address\n");
  }

  @Test
  void discover_verbose_addsTheStackTrace() {
    MeshctlRun run = discover("--verbose", "--inventory", dir.resolve("absent.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("meshctl: inventory ")
        .contains("io.azmesh.discovery.DiscoveryException: inventory ")
        .contains("\tat io.azmesh.discovery.file.FileDiscoveryProvider.");
  }

  @Test
  void discover_unknownProvider_isAUsageErrorNamingTheKnownOnes() {
    MeshctlRun run = MeshctlRun.of("discover", "--provider", "consul");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "meshctl: unknown discovery provider 'consul'; known providers: azure, file\n"
                + "Run 'meshctl discover --help' for usage.\n");
  }

  @Test
  void discover_withoutProvider_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("discover");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: --provider is required: one of azure, file (or set MESHCTL_PROVIDER, or provider:"
                + " in the config file)\n");
  }

  @Test
  void discover_fileProviderWithoutInventory_saysWhatIsMissing() {
    MeshctlRun run = MeshctlRun.of("discover", "--provider", "file");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: the file provider needs --inventory, the path of the inventory file\n");
  }

  @Test
  void discover_azureFlagsWithTheFileProvider_areRejected() {
    MeshctlRun run =
        discover("--inventory", inventory.toString(), "--subscription", "sub-1", "--tag", "a=b");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: the file provider does not use --subscription, --tag; it reads only"
                + " --inventory and --inventory-settle\n");
  }

  @Test
  void discover_badOutputFormat_isAUsageError() {
    MeshctlRun run = discover("--inventory", inventory.toString(), "-o", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for option '--output': expected one of [TABLE, JSON, YAML]"
                + " (case-insensitive) but was 'xml'\n");
  }

  @Test
  void discover_help_showsExamples() {
    MeshctlRun run = MeshctlRun.of("discover", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Examples:")
        .contains("meshctl discover --provider file --inventory examples/inventory.yaml");
  }

  private static MeshctlRun discover(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "discover";
    all[1] = "--provider";
    all[2] = "file";
    System.arraycopy(args, 0, all, 3, args.length);
    return MeshctlRun.of(all);
  }
}
