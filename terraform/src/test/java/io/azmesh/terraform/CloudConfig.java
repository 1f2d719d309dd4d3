package io.azmesh.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cloud-init template rendered with sample values and parsed as the {@code #cloud-config} YAML
 * that cloud-init would read.
 *
 * @param rendered the rendered text
 * @param document the parsed YAML
 */
record CloudConfig(String rendered, JsonNode document) {

  private static final YAMLMapper YAML = new YAMLMapper();

  CloudConfig {
    Objects.requireNonNull(rendered, "rendered");
    Objects.requireNonNull(document, "document");
  }

  /** Renders {@code template} with {@code values} and parses the result; fails on invalid YAML. */
  static CloudConfig render(Path template, Map<String, String> values) {
    String name = template.getFileName().toString();
    String rendered = TerraformTemplate.of(name, TerraformDirectory.read(template)).render(values);
    try {
      return new CloudConfig(rendered, YAML.readTree(rendered));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          name + " rendered to invalid YAML: " + e.getMessage() + "\n" + rendered, e);
    }
  }

  /** The {@code write_files} entries. */
  List<JsonNode> writtenFiles() {
    List<JsonNode> files = new ArrayList<>();
    document.path("write_files").forEach(files::add);
    return files;
  }

  /** The content cloud-init writes to {@code path}, if it writes that file. */
  Optional<String> file(String path) {
    return writtenFiles().stream()
        .filter(f -> path.equals(f.path("path").asText()))
        .map(f -> f.path("content").asText())
        .findFirst();
  }

  /** The content of {@code path}; fails the test if the file is not written. */
  String requireFile(String path) {
    return file(path)
        .orElseThrow(
            () ->
                new AssertionError(
                    "cloud-init does not write "
                        + path
                        + "; it writes "
                        + writtenFiles().stream().map(f -> f.path("path").asText()).toList()));
  }

  /** The {@code runcmd} commands, each joined into one line. */
  List<String> commands() {
    List<String> commands = new ArrayList<>();
    for (JsonNode command : document.path("runcmd")) {
      if (command.isArray()) {
        List<String> words = new ArrayList<>();
        command.forEach(word -> words.add(word.asText()));
        commands.add(String.join(" ", words));
      } else {
        commands.add(command.asText());
      }
    }
    return commands;
  }
}
