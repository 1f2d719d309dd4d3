package io.azmesh.discovery.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of each instance of a YAML inventory in plain block style ({@code instances:} on the
 * first line, then one {@code - } item per instance), so each can be parsed on its own.
 *
 * @param entries each item's text, from its {@code - } line up to the next item, in file order
 */
record InventoryEntries(List<String> entries) {
  private static final String HEADER = "instances:\n";

  InventoryEntries {
    entries = List.copyOf(entries);
  }

  /**
   * The entries of {@code text}, or empty when it has any other shape (comments or keys between
   * items, flow style, tabs, CR line ends, directives): those files are only parsed as a whole.
   */
  static Optional<InventoryEntries> split(String text) {
    if (!text.startsWith(HEADER) || text.indexOf('\r') >= 0 || text.indexOf('\t') >= 0) {
      return Optional.empty();
    }
    List<String> entries = new ArrayList<>();
    String item = null;
    String continuation = null;
    int entryStart = -1;
    int at = HEADER.length();
    while (at < text.length()) {
      int end = text.indexOf('\n', at);
      int next = end < 0 ? text.length() : end + 1;
      if (item == null) {
        int indent = 0;
        while (at + indent < next && text.charAt(at + indent) == ' ') {
          indent++;
        }
        if (text.startsWith("- ", at + indent)) {
          item = " ".repeat(indent) + "- ";
          continuation = " ".repeat(indent + 2);
          entryStart = at;
        } else if (!isBlank(text, at, next)) {
          return Optional.empty();
        }
      } else if (text.startsWith(item, at)) {
        entries.add(text.substring(entryStart, at));
        entryStart = at;
      } else if (!text.startsWith(continuation, at) && !isBlank(text, at, next)) {
        return Optional.empty();
      }
      at = next;
    }
    if (entryStart < 0) {
      return Optional.empty();
    }
    entries.add(text.substring(entryStart));
    return Optional.of(new InventoryEntries(entries));
  }

  private static boolean isBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != ' ' && text.charAt(i) != '\n') {
        return false;
      }
    }
    return true;
  }
}
