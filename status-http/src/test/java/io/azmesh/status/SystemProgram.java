package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A program a test runs from the system (Debian's chromium, promtool). In CI ({@code CI=true}) it
 * must be there, since {@code .ci/run} installs it; elsewhere a test without it is skipped, saying
 * how to install it.
 */
record SystemProgram(String name, String debianPackage) {

  /** The program's path, or the test stops here (failed in CI, skipped elsewhere). */
  Path require() {
    Optional<Path> found = find();
    String missing =
        "no "
            + name
            + " on the PATH: install Debian's "
            + debianPackage
            + " package (apt-get install "
            + debianPackage
            + ")";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(found).as(missing + "; in CI, .ci/run installs it").isPresent();
    } else {
      assumeTrue(found.isPresent(), missing + "; the test is skipped outside CI");
    }
    return found.orElseThrow();
  }

  private Optional<Path> find() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
