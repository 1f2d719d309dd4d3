package io.azmesh.cli;

/** How a command prints what it found. */
enum OutputFormat {
  /** Aligned columns for people. */
  TABLE,
  /** One JSON document, snake_case fields, for scripts. */
  JSON,
  /** The same document as YAML. */
  YAML
}
