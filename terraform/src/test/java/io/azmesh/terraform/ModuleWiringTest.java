package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped modules and example are wired the way {@code terraform validate} would demand. */
class ModuleWiringTest {

  static List<Path> configurations() {
    return TerraformTree.configurations();
  }

  @Test
  void modules_areTheFourOfTheDesign() {
    assertThat(TerraformTree.modules())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("backend-vms", "control-plane", "envoy-lb", "network");
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void configuration_isWiredConsistently(Path directory) {
    assertThat(new TerraformWiring().check(directory)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void configuration_hasTheStandardFiles(Path directory) {
    assertThat(directory.resolve("main.tf")).isRegularFile();
    assertThat(directory.resolve("variables.tf")).isRegularFile();
    assertThat(directory.resolve("outputs.tf")).isRegularFile();
    assertThat(directory.resolve("versions.tf")).isRegularFile();
    assertThat(directory.resolve("README.md")).isRegularFile();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void configuration_pinsTerraformAndAzurerm(Path directory) {
    String versions = TerraformDirectory.read(directory.resolve("versions.tf"));

    assertThat(versions).contains("required_version = \">= 1.5.0\"");
    assertThat(versions).contains("source  = \"hashicorp/azurerm\"");
    assertThat(versions).contains("version = \"~> 4.0\"");
  }

  @Test
  void example_callsEveryModule() {
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);

    assertThat(example.moduleCalls().values())
        .extracting(ModuleCall::source)
        .containsExactlyInAnyOrder(
            "../../modules/network",
            "../../modules/backend-vms",
            "../../modules/control-plane",
            "../../modules/envoy-lb");
  }

  @Test
  void example_outputsEnvoyPublicIpAndStatusUrl() {
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);

    assertThat(example.outputs()).containsKeys("envoy_public_ip", "status_url");
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void everyTemplate_isRenderedByItsModule(Path directory) throws IOException {
    List<Path> rendered =
        TerraformDirectory.load(directory).templateCalls().stream()
            .map(call -> call.template().normalize())
            .toList();

    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files.filter(f -> f.toString().endsWith(".tftpl")).map(Path::normalize))
          .allSatisfy(template -> assertThat(rendered).contains(template));
    }
  }
}
