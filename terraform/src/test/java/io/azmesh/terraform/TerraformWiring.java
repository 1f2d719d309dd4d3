package io.azmesh.terraform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks {@code terraform validate} would make on how a directory is wired, done statically:
 * declarations are complete, module calls match the called module's variables, {@code module.X.Y}
 * names a real output, and every {@code templatefile()} gets exactly the variables its template
 * reads. Each problem is one message; an empty list means the directory is consistent.
 */
final class TerraformWiring {

  private final Map<Path, TerraformDirectory> loaded = new LinkedHashMap<>();

  /** Every problem found in {@code directory} and in the modules it calls. */
  List<String> check(Path directory) {
    TerraformDirectory dir = load(directory);
    List<String> problems = new ArrayList<>();
    declarations(dir, problems);
    Map<String, TerraformDirectory> called = new LinkedHashMap<>();
    dir.moduleCalls().values().forEach(call -> moduleCall(dir, call, called, problems));
    for (ModuleReference reference : dir.moduleReferences()) {
      TerraformDirectory target = called.get(reference.module());
      if (!dir.moduleCalls().containsKey(reference.module())) {
        problems.add(reference.describe() + ": there is no module \"" + reference.module() + "\"");
      } else if (target != null && !target.outputs().containsKey(reference.output())) {
        problems.add(
            reference.describe()
                + ": module \""
                + reference.module()
                + "\" has no output \""
                + reference.output()
                + "\"; it has "
                + target.outputs().keySet());
      }
    }
    dir.templateCalls().forEach(call -> templateCall(call, problems));
    symbols(dir, problems);
    return problems;
  }

  private static void symbols(TerraformDirectory dir, List<String> problems) {
    undeclared(dir.variableReferences(), dir.variables().keySet(), "var", "variable", problems);
    undeclared(dir.localReferences(), dir.locals(), "local", "local value", problems);
    Set<String> read = new TreeSet<>();
    dir.variableReferences().forEach(reference -> read.add(reference.name()));
    for (TerraformVariable variable : dir.variables().values()) {
      if (!read.contains(variable.name())) {
        problems.add(
            variable.file() + ": variable \"" + variable.name() + "\" is declared but never used");
      }
    }
  }

  private static void undeclared(
      List<Reference> references,
      Set<String> declared,
      String prefix,
      String what,
      List<String> problems) {
    for (Reference reference : references) {
      if (!declared.contains(reference.name())) {
        problems.add(
            String.format(
                "%s:%d %s.%s: there is no %s \"%s\"",
                reference.file(),
                reference.line(),
                prefix,
                reference.name(),
                what,
                reference.name()));
      }
    }
  }

  private static void declarations(TerraformDirectory dir, List<String> problems) {
    for (TerraformVariable variable : dir.variables().values()) {
      if (variable.type().isEmpty()) {
        problems.add(variable.file() + ": variable \"" + variable.name() + "\" has no type");
      }
      if (variable.description().isEmpty()) {
        problems.add(variable.file() + ": variable \"" + variable.name() + "\" has no description");
      }
    }
    for (TerraformOutput output : dir.outputs().values()) {
      if (output.description().isEmpty()) {
        problems.add(output.file() + ": output \"" + output.name() + "\" has no description");
      }
    }
  }

  private void moduleCall(
      TerraformDirectory caller,
      ModuleCall call,
      Map<String, TerraformDirectory> called,
      List<String> problems) {
    Path target = caller.directory().resolve(call.source()).normalize();
    if (!Files.isDirectory(target)) {
      problems.add(
          "module \"" + call.name() + "\": source " + call.source() + " is not a directory");
      return;
    }
    TerraformDirectory module = load(target);
    called.put(call.name(), module);
    for (String input : call.inputs()) {
      if (!module.variables().containsKey(input)) {
        problems.add(
            "module \""
                + call.name()
                + "\" passes \""
                + input
                + "\", which "
                + call.source()
                + " does not declare");
      }
    }
    for (TerraformVariable variable : module.variables().values()) {
      if (variable.requirement() == TerraformVariable.Requirement.REQUIRED
          && !call.inputs().contains(variable.name())) {
        problems.add(
            "module \""
                + call.name()
                + "\" does not pass the required variable \""
                + variable.name()
                + "\"");
      }
    }
  }

  private static void templateCall(TemplateCall call, List<String> problems) {
    String name = call.template().getFileName().toString();
    if (!Files.isRegularFile(call.template())) {
      problems.add(call.file() + ": templatefile target " + name + " does not exist");
      return;
    }
    Set<String> read =
        TerraformTemplate.of(name, TerraformDirectory.read(call.template())).variables();
    Set<String> missing = new TreeSet<>(read);
    missing.removeAll(call.suppliedVariables());
    Set<String> unused = new TreeSet<>(call.suppliedVariables());
    unused.removeAll(read);
    if (!missing.isEmpty()) {
      problems.add(call.file() + ": " + name + " reads " + missing + " but they are not supplied");
    }
    if (!unused.isEmpty()) {
      problems.add(call.file() + ": " + name + " never reads the supplied " + unused);
    }
  }

  private TerraformDirectory load(Path directory) {
    return loaded.computeIfAbsent(directory.normalize(), TerraformDirectory::load);
  }
}
