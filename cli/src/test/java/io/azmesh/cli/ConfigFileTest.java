package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  @Test
  void read_takesTheMeshctlSectionAndJoinsLists() throws Exception {
    ConfigFile file =
        read("meshctl:\n  provider: azure\n  subscription: [a, b]\n  xds-port: 18000\n");

    assertThat(file.value("provider")).contains("azure");
    assertThat(file.value("subscription")).contains("a,b");
    assertThat(file.value("xds-port")).contains("18000");
    assertThat(file.settings().get("xds-port").line()).isEqualTo(4);
  }

  @Test
  void meshConfigText_blanksTheSectionKeepingLineNumbers() throws Exception {
    ConfigFile file =
        read("services:\n  web: {port: 80}\nmeshctl:\n  provider: file\ngateways: {}\n");

    assertThat(file.meshConfigText()).isEqualTo("services:\n  web: {port: 80}\n\n\ngateways: {}\n");
  }

  @Test
  void meshConfigText_sectionAtTheEnd_isBlankedToTheEnd() throws Exception {
    ConfigFile file = read("services: {}\nmeshctl:\n  provider: file\n");

    assertThat(file.meshConfigText()).isEqualTo("services: {}\n\n\n");
  }

  @Test
  void meshConfigText_withoutSection_isTheFile() throws Exception {
    ConfigFile file = read("services: {}\n");

    assertThat(file.meshConfigText()).isEqualTo("services: {}\n");
    assertThat(file.settings()).isEmpty();
  }

  @Test
  void inlineSection_isRejected() throws Exception {
    Path path = Files.writeString(dir.resolve("azmesh.yaml"), "{meshctl: {provider: file}, x: 1}");

    assertThatThrownBy(() -> ConfigFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            path + ":1: meshctl: put the section on lines of its own, not inline with other keys");
  }

  @Test
  void optionGivenTwice_isRejected() throws Exception {
    Path path =
        Files.writeString(
            dir.resolve("azmesh.yaml"), "meshctl:\n  provider: file\n  provider: azure\n");

    assertThatThrownBy(() -> ConfigFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(path + ":3: meshctl.provider is given twice");
  }

  @Test
  void badYaml_namesTheLine() throws Exception {
    Path path = Files.writeString(dir.resolve("azmesh.yaml"), "meshctl:\n  provider: [file\n");

    assertThatThrownBy(() -> ConfigFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(path + ":")
        .hasMessageContaining("not valid YAML");
  }

  private ConfigFile read(String text) throws Exception {
    return ConfigFile.read(Files.writeString(dir.resolve("azmesh.yaml"), text));
  }
}
