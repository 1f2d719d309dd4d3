package io.azmesh.terraform;

import java.util.Objects;

/**
 * One {@code var.<name>} or {@code local.<name>} expression in a .tf file.
 *
 * @param file the .tf file
 * @param line 1-based line of the reference
 * @param name the variable or local it reads
 */
record Reference(String file, int line, String name) {

  Reference {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
  }
}
