package io.azmesh.terraform;

import java.util.Objects;

/**
 * One {@code module.<module>.<output>} expression in a .tf file.
 *
 * @param file the .tf file
 * @param line 1-based line of the reference
 * @param module the referenced module call's name
 * @param output the output it reads
 */
record ModuleReference(String file, int line, String module, String output) {

  ModuleReference {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(output, "output");
  }

  /** Where the reference is, for failure messages: {@code main.tf:12 module.network.x}. */
  String describe() {
    return file + ":" + line + " module." + module + "." + output;
  }
}
