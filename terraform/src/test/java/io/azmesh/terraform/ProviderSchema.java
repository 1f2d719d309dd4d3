package io.azmesh.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments and nested blocks of the azurerm resources and data sources terraform/ uses, with
 * their required flags, as {@code schema/extract.mjs} takes them from the provider's generated
 * schema ({@code @cdktf/provider-azurerm}'s jsii manifest) into {@code schema/azurerm.json}.
 */
final class ProviderSchema {

  /** Terraform's own arguments and blocks, valid on every resource and data source. */
  private static final Set<String> META_ARGUMENTS =
      Set.of(
          "count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection");

  private static final String PREFIX = "azurerm_";

  private final String source;
  private final JsonNode resources;
  private final JsonNode dataSources;

  private ProviderSchema(JsonNode root) {
    this.source = root.path("source").asText();
    this.resources = root.path("resources");
    this.dataSources = root.path("data_sources");
  }

  static ProviderSchema load(Path file) {
    try {
      return new ProviderSchema(new ObjectMapper().readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Where the schema comes from, e.g. the package and provider version. */
  String source() {
    return source;
  }

  /**
   * Every mismatch between the directory's resource and data blocks and the schema: unknown types,
   * unknown arguments or blocks and missing required ones, at every nesting level.
   */
  List<String> check(TerraformDirectory directory) {
    List<String> problems = new ArrayList<>();
    checkAll("resource", directory.resources(), resources, problems);
    checkAll("data", directory.dataSources(), dataSources, problems);
    return problems;
  }

  private void checkAll(
      String kind,
      Map<String, Map<String, Map<String, Object>>> declared,
      JsonNode types,
      List<String> problems) {
    declared.forEach(
        (type, byName) -> {
          // Other providers' types (tls, random, Terraform's own terraform_data) are not in this
          // schema; ProviderSchemaTest names which ones may appear.
          if (!type.startsWith(PREFIX)) {
            return;
          }
          byName.forEach(
              (name, body) -> {
                String at = kind + " " + type + "." + name;
                JsonNode schema = types.get(type);
                if (schema == null) {
                  problems.add(at + ": " + type + " is not a " + kindName(kind) + " of " + source);
                  return;
                }
                checkBlock(at, "", body, schema, true, problems);
              });
        });
  }

  private static String kindName(String kind) {
    return kind.equals("resource") ? "resource" : "data source";
  }

  private static void checkBlock(
      String at,
      String path,
      Map<String, Object> body,
      JsonNode schema,
      boolean topLevel,
      List<String> problems) {
    JsonNode arguments = schema.path("arguments");
    JsonNode blocks = schema.path("blocks");
    for (Map.Entry<String, Object> entry : body.entrySet()) {
      String key = entry.getKey();
      if (topLevel && META_ARGUMENTS.contains(key)) {
        continue;
      }
      if (arguments.has(key)) {
        continue;
      }
      JsonNode block = blocks.get(key);
      if (block == null) {
        problems.add(at + ": " + path + key + " is neither an argument nor a block here");
        continue;
      }
      List<Map<String, Object>> instances = blockInstances(entry.getValue());
      if (instances == null) {
        problems.add(at + ": " + path + key + " is a block, not an argument");
        continue;
      }
      if (!block.path("list").asBoolean() && instances.size() > 1) {
        problems.add(at + ": " + path + key + " may appear once, appears " + instances.size());
      }
      for (int i = 0; i < instances.size(); i++) {
        String nested = path + key + (instances.size() > 1 ? "[" + i + "]" : "") + ".";
        checkBlock(at, nested, instances.get(i), block, false, problems);
      }
    }
    missing(at, path, body, arguments, "argument", problems);
    missing(at, path, body, blocks, "block", problems);
  }

  private static void missing(
      String at,
      String path,
      Map<String, Object> body,
      JsonNode members,
      String what,
      List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (member.getValue().path("required").asBoolean() && !body.containsKey(member.getKey())) {
        problems.add(at + ": required " + what + " " + path + member.getKey() + " is missing");
      }
    }
  }

  // hcl4j gives one block as a map and a repeated block as a list of maps.
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> blockInstances(Object value) {
    if (value instanceof Map<?, ?> map) {
      return List.of((Map<String, Object>) map);
    }
    if (value instanceof List<?> list && list.stream().allMatch(Map.class::isInstance)) {
      return list.stream().map(m -> (Map<String, Object>) m).toList();
    }
    return null;
  }
}
