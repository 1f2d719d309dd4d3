package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags win over MESHCTL_* variables, which win over the config file, which wins over defaults. */
class OptionPrecedenceTest {
  @TempDir Path dir;
  private Path inventory;

  @BeforeEach
  void writeInventory() throws Exception {
    inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"), "instances:\n  - name: a\n    private_ip: 10.0.0.4\n");
  }

  @Test
  void configFile_setsOptions() throws Exception {
    Path config = config("provider: file", "inventory: " + inventory, "output: yaml");

    MeshctlRun run = MeshctlRun.of("discover", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("provider: file\n");
  }

  @Test
  void environment_winsOverTheConfigFile() throws Exception {
    Path config = config("provider: file", "inventory: " + inventory, "output: yaml");

    MeshctlRun run =
        MeshctlRun.withEnvironment(
            Map.of("MESHCTL_OUTPUT", "json"), "discover", "--config", config.toString());

    assertThat(run.out()).startsWith("{");
  }

  @Test
  void flag_winsOverTheEnvironment() throws Exception {
    Path config = config("provider: file", "inventory: " + inventory, "output: yaml");

    MeshctlRun run =
        MeshctlRun.withEnvironment(
            Map.of("MESHCTL_OUTPUT", "json"),
            "discover",
            "--config",
            config.toString(),
            "-o",
            "table");

    assertThat(run.out()).startsWith("NAME ");
  }

  @Test
  void defaults_applyWhenNothingIsSet() {
    MeshctlRun run =
        MeshctlRun.withEnvironment(
            Map.of("MESHCTL_PROVIDER", "file", "MESHCTL_INVENTORY", inventory.toString()),
            "discover");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("NAME ");
  }

  @Test
  void configFile_canBeNamedByTheEnvironment() throws Exception {
    Path config = config("provider: file", "inventory: " + inventory, "output: json");

    MeshctlRun run =
        MeshctlRun.withEnvironment(Map.of("MESHCTL_CONFIG", config.toString()), "discover");

    assertThat(run.out()).startsWith("{");
  }

  @Test
  void configFile_listsSetRepeatableOptions() throws Exception {
    Path config =
        config("provider: file", "inventory: " + inventory, "subscription: [sub-a, sub-b]");

    MeshctlRun run = MeshctlRun.of("discover", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: the file provider does not use --subscription; it reads only --inventory and --inventory-settle\n");
  }

  @Test
  void configFile_unknownOption_namesFileAndLine() throws Exception {
    Path config = config("provider: file", "xds-prot: 18000");

    MeshctlRun run = MeshctlRun.of("discover", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: "
                + config
                + ":4: meshctl.xds-prot is not an option of any meshctl command\n");
  }

  @Test
  void configFile_missing_isAUsageError() {
    Path absent = dir.resolve("absent.yaml");

    MeshctlRun run = MeshctlRun.of("discover", "--config", absent.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("meshctl: config file " + absent + " does not exist\n");
  }

  @Test
  void configFile_sectionNotAMapping_isReported() throws Exception {
    Path config = Files.writeString(dir.resolve("azmesh.yaml"), "meshctl: file\n");

    MeshctlRun run = MeshctlRun.of("discover", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("meshctl: " + config + ":1: meshctl is 'file', not a mapping of options\n");
  }

  @Test
  void configFile_otherSections_areLeftToTheMeshConfiguration() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("azmesh.yaml"),
            "services:\n  web: {port: 8080}\nmeshctl:\n  provider: file\n  inventory: "
                + inventory
                + "\n");

    MeshctlRun run = MeshctlRun.of("discover", "--config", config.toString());

    assertThat(run.exitCode()).isZero();
  }

  @Test
  void environmentVariable_isNamedAfterTheLongOption() {
    assertThat(MeshctlDefaults.environmentVariable("xds-port")).isEqualTo("MESHCTL_XDS_PORT");
  }

  private Path config(String... options) throws Exception {
    StringBuilder text = new StringBuilder("# azmesh config\nmeshctl:\n");
    for (String option : options) {
      text.append("  ").append(option).append('\n');
    }
    return Files.writeString(dir.resolve("azmesh.yaml"), text.toString());
  }
}
