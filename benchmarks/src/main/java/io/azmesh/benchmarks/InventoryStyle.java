package io.azmesh.benchmarks;

/** How {@link InventoryText} writes an inventory, each a shape docs/inventory.md allows. */
public enum InventoryStyle {
  /** Block entries, block tags, no comments. */
  BLOCK,
  /** One flow mapping per entry: {@code - {name: vm-1, private_ip: ..., tags: {...}}}. */
  FLOW,
  /**
   * As the shipped {@code examples/inventory.yaml}: a comment header, block entries with flow tags,
   * a comment line every hundred entries and trailing comments.
   */
  COMMENTED
}
