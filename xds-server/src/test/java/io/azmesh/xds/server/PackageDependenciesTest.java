package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two rooms of the xDS server keep their one-way arrows: {@code loop} may use {@code serving},
 * never the other way, and neither reaches up to the façade ({@code ControlPlane}, {@code
 * MeshState}). Read from the sources, so a fully qualified name counts as much as an import.
 */
class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src/main/java/io/azmesh/xds/server");

  /** A reference to a class of the façade package, or to a sub-package. */
  private static final Pattern REFERENCE =
      Pattern.compile("io\\.azmesh\\.xds\\.server\\.(loop|serving|[A-Z]\\w*)");

  @Test
  void serving_neverReferencesTheLoopOrTheFacade() {
    List<Path> sources = sources("serving");
    assertThat(sources).hasSizeGreaterThan(10);
    assertThat(violations(sources, "serving")).isEmpty();
  }

  @Test
  void loop_neverReferencesTheFacade() {
    List<Path> sources = sources("loop");
    assertThat(sources).hasSizeGreaterThan(10);
    assertThat(violations(sources, "loop", "serving")).isEmpty();
  }

  @Test
  void check_findsAnImportOfTheLoopInServing() {
    assertThat(
            violations(
                "serving/Example.java",
                "package io.azmesh.xds.server.serving;\nimport io.azmesh.xds.server.loop.EventLog;\n",
                List.of("serving")))
        .containsExactly("serving/Example.java: io.azmesh.xds.server.loop");
    assertThat(
            violations(
                "loop/Example.java",
                "/** See {@link io.azmesh.xds.server.ControlPlane}. */",
                List.of("loop", "serving")))
        .containsExactly("loop/Example.java: io.azmesh.xds.server.ControlPlane");
  }

  private static List<Path> sources(String room) {
    try (Stream<Path> files = Files.walk(MAIN.resolve(room))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> violations(List<Path> sources, String... allowed) {
    List<String> found = new ArrayList<>();
    for (Path source : sources) {
      try {
        found.addAll(
            violations(
                MAIN.relativize(source).toString(), Files.readString(source), List.of(allowed)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static List<String> violations(String name, String text, List<String> allowed) {
    List<String> found = new ArrayList<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      if (!allowed.contains(m.group(1))) {
        found.add(name + ": " + m.group());
      }
    }
    return found;
  }
}
