package io.azmesh.discovery.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/** The syntax of an inventory file, chosen by its extension. */
enum InventoryFormat {
  JSON("JSON"),
  YAML("YAML");

  /**
   * The largest YAML file read, in code points. SnakeYAML's default (3 Mi) stops at about 15,000
   * instances; this allows about 160,000 while still refusing a runaway file.
   */
  static final int MAX_YAML_CODE_POINTS = 32 * 1024 * 1024;

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
    if (this == JSON) {
      return new JsonFactory();
    }
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_YAML_CODE_POINTS);
    // rebuild() keeps the factory's default features (builder() would drop EMPTY_STRING_AS_NULL).
    return new YAMLFactory().rebuild().loaderOptions(options).build();
  }

  /** The name used in syntax error messages, e.g. {@code not valid YAML}. */
  String label() {
    return label;
  }
}
