package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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

  @Test
  void exampleTfvars_setsEveryRequiredVariableAndNoUndeclaredOne() throws Exception {
    // What a user copies: a name it sets that the example no longer declares fails the plan.
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);
    Set<String> set =
        new HCLParser()
            .parse(
                TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("terraform.tfvars.example")),
                false)
            .keySet();

    assertThat(example.variables()).containsKeys(set.toArray(String[]::new));
    assertThat(set)
        .containsAll(
            example.variables().values().stream()
                .filter(v -> v.requirement() == TerraformVariable.Requirement.REQUIRED)
                .map(TerraformVariable::name)
                .toList());
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
