package io.azmesh.discovery.file;

/**
 * Why the file provider parsed a whole inventory instead of only the entries whose text changed.
 * Counted in {@link InventoryParseStats}, so a benchmark can show which path it measured.
 */
public enum FullParseReason {
  /** No entry has been checked against a full parse yet: the first read, or after a failed one. */
  NO_VERIFIED_ENTRIES,
  /** A {@code .json} file: JSON parses fast enough whole. */
  JSON_FILE,
  /** The file holds a character SnakeYAML reads as a line break or rejects (lone CR, NEL, ...). */
  UNUSUAL_CHARACTER,
  /** More characters than the YAML limit: the full parse reports it. */
  TOO_LARGE,
  /**
   * Before the list: something other than comments, blank lines and one {@code ---}, or the list is
   * not a block list ({@code instances: [...]}, {@code {"instances": ...}}, no items).
   */
  NOT_BLOCK_LIST,
  /** A tab in the indentation of a line outside quotes and flow collections. */
  TAB_INDENT,
  /** After the list: anything but comments, blank lines and one {@code ...} document end. */
  CONTENT_AFTER_LIST,
  /** A quote or a flow collection still open at the end of the file. */
  UNCLOSED_AT_END,
  /** The text outside the entries (header comments, the {@code instances:} line) changed. */
  FRAME_CHANGED,
  /** A changed entry, parsed alone, had a problem or was not exactly one instance. */
  ENTRY_NOT_ONE_INSTANCE,
  /** Two entries have the same name. */
  DUPLICATE_NAME,
  /**
   * The entries as split did not parse alone to what the full parse gave (a shape the splitter
   * misreads); this file is parsed whole until the text outside its entries changes.
   */
  SPLIT_DISAGREES
}
