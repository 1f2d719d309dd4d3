package io.azmesh.discovery.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Locale;

/** The syntax of an inventory file, chosen by its extension. */
enum InventoryFormat {
  JSON("JSON"),
  YAML("YAML");

  private final String label;

  InventoryFormat(String label) {
    this.label = label;
  }

  /** {@code .json} files are JSON; everything else is YAML, which also reads plain JSON. */
  static InventoryFormat forPath(Path path) {
    Path fileName = path.getFileName();
    String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".json") ? JSON : YAML;
  }

  /** A fresh parser factory; factories are cheap and this keeps the enum free of shared state. */
  JsonFactory newFactory() {
    return this == JSON ? new JsonFactory() : new YAMLFactory();
  }

  /** The name used in syntax error messages, e.g. {@code not valid YAML}. */
  String label() {
    return label;
  }
}
