package io.azmesh.terraform;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code output} block as declared.
 *
 * @param name output name, as in {@code module.<call>.<name>}
 * @param file the .tf file that declares it
 * @param description the description, if any
 * @param value the value as plain data, references as their source text (e.g. {@code
 *     azurerm_resource_group.backends.id}); empty where hcl4j could not evaluate it
 */
record TerraformOutput(
    String name, String file, Optional<String> description, Optional<Object> value) {

  TerraformOutput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(value, "value");
  }
}
