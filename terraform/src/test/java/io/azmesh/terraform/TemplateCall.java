package io.azmesh.terraform;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code templatefile(path, vars)} call.
 *
 * @param file the .tf file that makes the call
 * @param template the template it renders, resolved against the module directory
 * @param suppliedVariables the keys of the {@code vars} object, sorted
 */
record TemplateCall(String file, Path template, Set<String> suppliedVariables) {

  TemplateCall {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(template, "template");
    suppliedVariables = Collections.unmodifiableSortedSet(new TreeSet<>(suppliedVariables));
  }
}
