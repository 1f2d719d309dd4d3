package io.azmesh.terraform;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code output} block as declared.
 *
 * @param name output name, as in {@code module.<call>.<name>}
 * @param file the .tf file that declares it
 * @param description the description, if any
 */
record TerraformOutput(String name, String file, Optional<String> description) {

  TerraformOutput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(description, "description");
  }
}
