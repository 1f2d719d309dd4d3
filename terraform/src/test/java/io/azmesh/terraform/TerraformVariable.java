package io.azmesh.terraform;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code variable} block as declared.
 *
 * @param name variable name
 * @param file the .tf file that declares it
 * @param type the declared type constraint, if any
 * @param description the description, if any
 * @param requirement whether a caller must pass it (no {@code default})
 * @param defaultValue the default as hcl4j reads it, empty when there is none or it is null
 * @param validations how many {@code validation} blocks it has
 */
record TerraformVariable(
    String name,
    String file,
    Optional<String> type,
    Optional<String> description,
    Requirement requirement,
    Optional<Object> defaultValue,
    int validations) {

  /** Whether a module call has to pass the variable. */
  enum Requirement {
    REQUIRED,
    OPTIONAL
  }

  TerraformVariable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(requirement, "requirement");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }
}
