package io.azmesh.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the Terraform code lives; tests run with the {@code terraform/} module as working dir. */
final class TerraformTree {

  static final Path MODULES = Path.of("modules");
  static final Path EXAMPLE = Path.of("examples", "complete");

  private TerraformTree() {}

  static Path module(String name) {
    return MODULES.resolve(name);
  }

  /** Every module directory, sorted. */
  static List<Path> modules() {
    try (Stream<Path> dirs = Files.list(MODULES)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + MODULES.toAbsolutePath(), e);
    }
  }

  /** Every module and the example: everything a user may run {@code terraform} in. */
  static List<Path> configurations() {
    return Stream.concat(modules().stream(), Stream.of(EXAMPLE)).toList();
  }
}
