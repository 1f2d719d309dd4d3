package io.azmesh.xds.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translates {@code testdata/<case>/in} and compares with {@code testdata/<case>/out}. Regenerate
 * the expected files with {@code -Dgolden.update=true} and review the diff like code.
 */
class GoldenTest {
  private static final Path TESTDATA = Path.of("src/test/resources/testdata");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(TESTDATA)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translate_matchesGoldenFiles(String name) throws IOException {
    Path in = TESTDATA.resolve(name).resolve("in");
    Path out = TESTDATA.resolve(name).resolve("out");
    List<Instance> instances = InventoryFile.read(in.resolve("inventory.yaml"));
    MeshConfig config = MeshConfig.load(in.resolve("config.yaml"));
    Path drainingFile = in.resolve("draining.txt");
    Set<String> draining =
        Files.exists(drainingFile)
            ? Files.readAllLines(drainingFile).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new))
            : Set.of();

    Translation translation = new Translator().translate(config, instances, draining);
    XdsResources resources = translation.resources();

    Map<String, String> actual = new LinkedHashMap<>();
    actual.put("clusters.json", EnvoyJson.resources(resources.clusters()));
    actual.put("endpoints.json", EnvoyJson.resources(resources.endpoints()));
    actual.put("listeners.json", EnvoyJson.resources(resources.listeners()));
    actual.put("routes.json", EnvoyJson.resources(resources.routes()));
    actual.put("instances.txt", statusReport(translation));
    if (UPDATE) {
      Files.createDirectories(out);
      for (Map.Entry<String, String> file : actual.entrySet()) {
        Files.writeString(out.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
    }
    for (Map.Entry<String, String> file : actual.entrySet()) {
      assertThat(file.getValue())
          .as("%s/out/%s (regenerate with -Dgolden.update=true)", name, file.getKey())
          .isEqualTo(Files.readString(out.resolve(file.getKey()), StandardCharsets.UTF_8));
    }
    assertThat(new XdsValidator().validate(resources)).as("validation of %s", name).isEmpty();
  }

  /** One line per instance: state, endpoints, problems. */
  private static String statusReport(Translation translation) {
    StringBuilder text = new StringBuilder();
    for (InstanceStatus status : translation.instances()) {
      text.append(status.instance().name()).append(' ').append(status.state());
      for (InstanceStatus.ServiceEndpoint e : status.endpoints()) {
        text.append(' ')
            .append(e.service())
            .append('=')
            .append(e.address())
            .append(':')
            .append(e.port())
            .append('*')
            .append(e.weight());
      }
      text.append('\n');
      for (Problem problem : status.problems()) {
        text.append("  ").append(problem.message()).append('\n');
      }
    }
    return text.toString();
  }
}
