package io.azmesh.terraform;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a Terraform module directory declares and uses, read from every {@code .tf} file in it with
 * hcl4j, a real HCL parser.
 *
 * <p>hcl4j evaluates expressions as it parses and turns function calls it does not know into null,
 * so two things come from elsewhere: {@code templatefile} is registered as a function that records
 * its arguments, and {@code module.X.Y}, {@code var.X} and {@code local.X} references are found in
 * the comment-free source text, where every one of them is visible whatever expression surrounds
 * it.
 */
record TerraformDirectory(
    Path directory,
    Map<String, TerraformVariable> variables,
    Map<String, TerraformOutput> outputs,
    Map<String, ModuleCall> moduleCalls,
    List<TemplateCall> templateCalls,
    List<ModuleReference> moduleReferences,
    Set<String> locals,
    List<Reference> variableReferences,
    List<Reference> localReferences,
    Map<String, Map<String, Map<String, Object>>> resources,
    Map<String, Map<String, Map<String, Object>>> dataSources,
    Map<String, Object> localValues) {

  private static final Pattern MODULE_REFERENCE =
      Pattern.compile("\\bmodule\\.([A-Za-z_][A-Za-z0-9_-]*)\\.([A-Za-z_][A-Za-z0-9_-]*)");
  private static final Pattern VARIABLE_REFERENCE =
      Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_-]*)");
  private static final Pattern LOCAL_REFERENCE =
      Pattern.compile("\\blocal\\.([A-Za-z_][A-Za-z0-9_-]*)");
  private static final String PATH_MODULE = "path.module/";

  TerraformDirectory {
    Objects.requireNonNull(directory, "directory");
    variables = Collections.unmodifiableMap(new TreeMap<>(variables));
    outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
    moduleCalls = Collections.unmodifiableMap(new TreeMap<>(moduleCalls));
    templateCalls = List.copyOf(templateCalls);
    moduleReferences = List.copyOf(moduleReferences);
    locals = Collections.unmodifiableSortedSet(new TreeSet<>(locals));
    variableReferences = List.copyOf(variableReferences);
    localReferences = List.copyOf(localReferences);
    resources = byTypeAndName(resources);
    dataSources = byTypeAndName(dataSources);
    // TreeMap, not Map.copyOf: a local hcl4j could not evaluate is kept with a null value.
    localValues = Collections.unmodifiableMap(new TreeMap<>(localValues));
  }

  private static Map<String, Map<String, Map<String, Object>>> byTypeAndName(
      Map<String, Map<String, Map<String, Object>>> blocks) {
    Map<String, Map<String, Map<String, Object>>> byType = new TreeMap<>();
    blocks.forEach(
        (type, byName) -> byType.put(type, Collections.unmodifiableMap(new TreeMap<>(byName))));
    return Collections.unmodifiableMap(byType);
  }

  /** Parses every {@code .tf} file directly inside {@code directory}. */
  static TerraformDirectory load(Path directory) {
    Map<String, TerraformVariable> variables = new LinkedHashMap<>();
    Map<String, TerraformOutput> outputs = new LinkedHashMap<>();
    Map<String, ModuleCall> moduleCalls = new LinkedHashMap<>();
    List<TemplateCall> templateCalls = new ArrayList<>();
    List<ModuleReference> references = new ArrayList<>();
    Set<String> locals = new TreeSet<>();
    Map<String, Object> localValues = new LinkedHashMap<>();
    List<Reference> variableReferences = new ArrayList<>();
    List<Reference> localReferences = new ArrayList<>();
    Map<String, Map<String, Map<String, Object>>> resources = new LinkedHashMap<>();
    Map<String, Map<String, Map<String, Object>>> dataSources = new LinkedHashMap<>();
    for (Path file : tfFiles(directory)) {
      String name = file.getFileName().toString();
      String source = read(file);
      Map<String, Object> parsed = parse(directory, name, source, templateCalls);
      blocks(parsed, "variable")
          .forEach(
              (varName, body) ->
                  putOnce(variables, "variable", varName, variable(varName, name, body)));
      blocks(parsed, "output")
          .forEach(
              (outName, body) ->
                  putOnce(
                      outputs,
                      "output",
                      outName,
                      new TerraformOutput(
                          outName,
                          name,
                          text(body.get("description")),
                          Optional.ofNullable(plainValue(body.get("value"))))));
      blocks(parsed, "module")
          .forEach(
              (callName, body) ->
                  putOnce(moduleCalls, "module", callName, moduleCall(callName, body)));
      collectTyped(parsed, "resource", resources);
      collectTyped(parsed, "data", dataSources);
      localBlocks(parsed)
          .forEach(
              block -> {
                locals.addAll(block.keySet());
                localValues.putAll(plainValues(block));
              });
      String code = HclText.stripComments(source);
      references.addAll(moduleReferences(name, code));
      // A variable read only by its own validation block is still unused.
      variableReferences.addAll(
          references(name, HclText.withoutBlocks(code, "variable"), VARIABLE_REFERENCE));
      localReferences.addAll(references(name, code, LOCAL_REFERENCE));
    }
    return new TerraformDirectory(
        directory,
        variables,
        outputs,
        moduleCalls,
        templateCalls,
        references,
        locals,
        variableReferences,
        localReferences,
        resources,
        dataSources,
        localValues);
  }

  // resource "type" "name" { ... } and data "type" "name" { ... }, by type, then name.
  private static void collectTyped(
      Map<String, Object> parsed, String kind, Map<String, Map<String, Map<String, Object>>> into) {
    blocks(parsed, kind)
        .forEach(
            (type, byName) -> {
              Map<String, Map<String, Object>> named =
                  into.computeIfAbsent(type, t -> new TreeMap<>());
              asMap(byName).forEach((name, body) -> named.put(name, plainValues(asMap(body))));
            });
  }

  // Terraform rejects a name declared twice in one module; hcl4j would let the later one win.
  private static <T> void putOnce(Map<String, T> declared, String kind, String name, T value) {
    if (declared.putIfAbsent(name, value) != null) {
      throw new IllegalStateException(kind + " \"" + name + "\" is declared twice");
    }
  }

  /** The attributes of one {@code resource "type" "name"} block. */
  Map<String, Object> resource(String type, String name) {
    Map<String, Object> body = resources.getOrDefault(type, Map.of()).get(name);
    if (body == null) {
      throw new IllegalArgumentException(
          directory + " declares no resource " + type + "." + name + "; it has " + resources);
    }
    return body;
  }

  /** The {@code .tf} files, sorted by name. */
  static List<Path> tfFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private static Map<String, Object> parse(
      Path directory, String file, String source, List<TemplateCall> templateCalls) {
    HCLParser parser = new HCLParser();
    parser.registerFunction(
        "templatefile",
        arguments -> {
          templateCalls.add(templateCall(directory, file, arguments));
          return "";
        });
    // hcl4j's substr fails on a value it could not evaluate (a var, a hash); Terraform's yields
    // an unknown string, modelled as null like hcl4j's other unknowns.
    parser.registerFunction(
        "substr",
        arguments -> {
          if (!(arguments.get(0) instanceof String text)) {
            return null;
          }
          int offset = ((Number) arguments.get(1)).intValue();
          int length = ((Number) arguments.get(2)).intValue();
          int end = length < 0 ? text.length() : Math.min(text.length(), offset + length);
          return text.substring(Math.min(offset, text.length()), end);
        });
    try {
      return parser.parse(source, false);
    } catch (HCLParserException | IOException e) {
      throw new IllegalStateException(directory.resolve(file) + " is not valid HCL: " + e, e);
    }
  }

  private static TemplateCall templateCall(Path directory, String file, List<Object> arguments) {
    if (arguments.size() != 2 || !(arguments.get(0) instanceof String path)) {
      throw new IllegalStateException(
          file + ": templatefile() needs a path and a vars object, got " + arguments);
    }
    if (!path.startsWith(PATH_MODULE)) {
      throw new IllegalStateException(
          file + ": templatefile path '" + path + "' must start with ${path.module}/");
    }
    Map<String, Object> vars = asMap(arguments.get(1));
    return new TemplateCall(
        file, directory.resolve(path.substring(PATH_MODULE.length())), vars.keySet());
  }

  private static TerraformVariable variable(String name, String file, Map<String, Object> body) {
    Object validation = body.get("validation");
    return new TerraformVariable(
        name,
        file,
        Optional.ofNullable(body.get("type")).map(Object::toString),
        text(body.get("description")),
        body.containsKey("default")
            ? TerraformVariable.Requirement.OPTIONAL
            : TerraformVariable.Requirement.REQUIRED,
        Optional.ofNullable(body.get("default")),
        // hcl4j gives one block as a map and repeated blocks as a list of maps.
        validation instanceof List<?> blocks ? blocks.size() : validation == null ? 0 : 1);
  }

  private static ModuleCall moduleCall(String name, Map<String, Object> body) {
    Object source = body.get("source");
    if (!(source instanceof String sourcePath)) {
      throw new IllegalStateException("module " + name + " has no literal source");
    }
    Map<String, Object> arguments = new LinkedHashMap<>(plainValues(body));
    arguments.keySet().removeAll(ModuleCall.META_ARGUMENTS);
    return new ModuleCall(name, sourcePath, arguments);
  }

  private static List<ModuleReference> moduleReferences(String file, String code) {
    List<ModuleReference> found = new ArrayList<>();
    Matcher matcher = MODULE_REFERENCE.matcher(code);
    while (matcher.find()) {
      found.add(
          new ModuleReference(
              file, line(code, matcher.start()), matcher.group(1), matcher.group(2)));
    }
    return found;
  }

  private static List<Reference> references(String file, String code, Pattern pattern) {
    List<Reference> found = new ArrayList<>();
    Matcher matcher = pattern.matcher(code);
    while (matcher.find()) {
      found.add(new Reference(file, line(code, matcher.start()), matcher.group(1)));
    }
    return found;
  }

  private static int line(String code, int offset) {
    return 1 + (int) code.substring(0, offset).chars().filter(c -> c == '\n').count();
  }

  // hcl4j gives one locals block as a map and several as a list of maps.
  private static List<Map<String, Object>> localBlocks(Map<String, Object> parsed) {
    Object locals = parsed.get("locals");
    if (locals == null) {
      return List.of();
    }
    if (locals instanceof List<?> blocks) {
      return blocks.stream().map(TerraformDirectory::asMap).toList();
    }
    return List.of(asMap(locals));
  }

  private static Map<String, Map<String, Object>> blocks(Map<String, Object> parsed, String kind) {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    asMap(parsed.getOrDefault(kind, Map.of()))
        .forEach((name, body) -> byName.put(name, asMap(body)));
    return byName;
  }

  /**
   * The block with hcl4j's unresolved references (kept as symbol objects) turned into their source
   * text, e.g. {@code var.admin_cidr}, so values are plain strings, numbers, lists, maps.
   */
  private static Map<String, Object> plainValues(Map<String, Object> block) {
    Map<String, Object> plain = new LinkedHashMap<>();
    block.forEach((key, value) -> plain.put(key, plainValue(value)));
    return plain;
  }

  private static Object plainValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return plainValues(asMap(map));
    }
    if (value instanceof List<?> list) {
      return list.stream().map(TerraformDirectory::plainValue).toList();
    }
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    return value.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalStateException("expected a block or object, got " + value);
  }

  private static Optional<String> text(Object value) {
    return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
