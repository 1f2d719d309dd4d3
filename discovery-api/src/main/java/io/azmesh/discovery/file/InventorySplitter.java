package io.azmesh.discovery.file;

import java.util.Arrays;
import java.util.List;

/**
 * Divides a YAML inventory into the text of each item of its {@code instances} block list, so an
 * edit re-parses only the items whose text changed.
 *
 * <p>Items start at the lines, at the list's indentation, that begin with {@code -} outside any
 * quoted scalar, flow collection or block scalar. The splitter follows those three across lines
 * with a small lexer; everything else (comments anywhere, flow or block mappings, any key order,
 * quoted or plain scalars, anchors, CRLF line ends) is left to SnakeYAML, which parses each item
 * alone. The lexer need not be exact: a wrong cut inside a quote or flow collection leaves an item
 * that fails to parse alone, and a missed cut leaves one holding two instances; both send the edit
 * to the full parse ({@link IncrementalInventoryParser} relies on that). Text it cannot divide at
 * all is named by a {@link FullParseReason}.
 */
final class InventorySplitter {
  private final String text;
  private int[] bounds = new int[64];
  private int boundCount;
  // The column of the list's "- " lines.
  private int itemColumn;
  // Lexer state carried from one line to the next.
  private int flowDepth;
  private char openQuote;
  private boolean valueStart;
  // An open block scalar: the column of the collection it belongs to, and its content's column
  // (0 until its first non-blank line sets it).
  private int blockParent = -1;
  private int blockIndent;

  private InventorySplitter(String text) {
    this.text = text;
  }

  /** The entries of {@code text}, or why it can only be parsed whole. */
  static InventoryLayout split(String text) {
    if (text.length() > InventoryFormat.MAX_YAML_CODE_POINTS) {
      return new InventoryLayout.Whole(FullParseReason.TOO_LARGE);
    }
    if (hasUnusualCharacter(text, 0, text.length())) {
      return new InventoryLayout.Whole(FullParseReason.UNUSUAL_CHARACTER);
    }
    InventorySplitter splitter = new InventorySplitter(text);
    int first = splitter.firstItem();
    if (first < 0) {
      return new InventoryLayout.Whole(FullParseReason.NOT_BLOCK_LIST);
    }
    return splitter.items(first, null, 0, text.length());
  }

  /**
   * The entries of {@code text}, an edit of {@code previous.text()} that left its first {@code
   * prefix} and last {@code suffix} characters as they were (the two do not overlap): the same
   * result as {@link #split}, lexing only from the item before the edit to the first item after it.
   * The lexer's state at the start of an item line is always the same (outside every quote,
   * collection and block scalar), so an item line in the unchanged tail, where the previous text
   * also had one, starts the same items as before.
   */
  static InventoryLayout resplit(
      String text, InventoryLayout.Entries previous, int prefix, int suffix) {
    if (text.length() > InventoryFormat.MAX_YAML_CODE_POINTS) {
      return new InventoryLayout.Whole(FullParseReason.TOO_LARGE);
    }
    int changedEnd = text.length() - suffix;
    // One character more on each side: a CR is only usual before an LF.
    if (hasUnusualCharacter(
        text, Math.max(0, prefix - 1), Math.min(text.length(), changedEnd + 1))) {
      return new InventoryLayout.Whole(FullParseReason.UNUSUAL_CHARACTER);
    }
    int[] old = previous.bounds();
    // The last item that starts within the unchanged prefix; the one before it, whose first line
    // lies wholly in the prefix, is where lexing restarts (the edit may have joined the two).
    int k = Arrays.binarySearch(old, prefix);
    k = k >= 0 ? k : -k - 2;
    int restart = Math.min(k, previous.count()) - 1;
    if (restart < 0) {
      return split(text);
    }
    InventorySplitter splitter = new InventorySplitter(text);
    splitter.itemColumn = previous.itemColumn();
    splitter.bounds = Arrays.copyOf(old, Math.max(64, restart + 64));
    splitter.boundCount = restart;
    return splitter.items(
        old[restart], previous, text.length() - previous.text().length(), changedEnd);
  }

  // Blocks compared at once before the exact position is looked for: regionMatches runs over the
  // strings' bytes, several times faster than charAt.
  private static final int BLOCK = 1024;

  /** How many characters {@code a} and {@code b} share at their start. */
  static int commonPrefix(String a, String b) {
    int limit = Math.min(a.length(), b.length());
    int i = 0;
    while (i + BLOCK <= limit && a.regionMatches(i, b, i, BLOCK)) {
      i += BLOCK;
    }
    while (i < limit && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  /** How many characters they share at their end, not counting the first {@code prefix}. */
  static int commonSuffix(String a, String b, int prefix) {
    int limit = Math.min(a.length(), b.length()) - prefix;
    int i = 0;
    while (i + BLOCK <= limit
        && a.regionMatches(a.length() - i - BLOCK, b, b.length() - i - BLOCK, BLOCK)) {
      i += BLOCK;
    }
    while (i < limit && a.charAt(a.length() - 1 - i) == b.charAt(b.length() - 1 - i)) {
      i++;
    }
    return i;
  }

  /**
   * Lexes the items from {@code first}, the start of an item line. With a {@code previous} layout,
   * stops at the first item line at or after {@code changedEnd} where {@code previous} had one
   * ({@code delta} characters earlier) and takes the rest of its items from there.
   */
  private InventoryLayout items(
      int first, InventoryLayout.Entries previous, int delta, int changedEnd) {
    int line = first;
    add(first);
    while (line < text.length()) {
      int next = nextLine(line);
      int end = contentEnd(line, next);
      if (openQuote != 0) {
        lexLine(line, line, end);
        line = next;
        continue;
      }
      if (blockParent >= 0 && inBlockScalar(line, end)) {
        line = next;
        continue;
      }
      int indent = spaces(line, end);
      int content = whitespace(indent, end);
      if (content == end || text.charAt(content) == '#') {
        line = next;
        continue;
      }
      if (flowDepth == 0) {
        if (content != indent) {
          return new InventoryLayout.Whole(FullParseReason.TAB_INDENT);
        }
        int column = indent - line;
        boolean item = column == itemColumn && isItem(indent, end);
        if (column < itemColumn || (column == itemColumn && !item)) {
          add(line);
          return isTrailer(line)
              ? new InventoryLayout.Entries(text, itemColumn, Arrays.copyOf(bounds, boundCount))
              : new InventoryLayout.Whole(FullParseReason.CONTENT_AFTER_LIST);
        }
        if (item && line != first) {
          add(line);
          if (previous != null && line >= changedEnd) {
            int[] old = previous.bounds();
            int j = Arrays.binarySearch(old, line - delta);
            if (j >= 0 && j < previous.count()) {
              for (int i = j + 1; i < old.length; i++) {
                add(old[i] + delta);
              }
              return new InventoryLayout.Entries(
                  text, itemColumn, Arrays.copyOf(bounds, boundCount));
            }
          }
        }
        valueStart = true;
      }
      lexLine(line, content, end);
      line = next;
    }
    if (openQuote != 0 || flowDepth > 0) {
      return new InventoryLayout.Whole(FullParseReason.UNCLOSED_AT_END);
    }
    add(text.length());
    return new InventoryLayout.Entries(text, itemColumn, Arrays.copyOf(bounds, boundCount));
  }

  private void add(int bound) {
    if (boundCount == bounds.length) {
      bounds = Arrays.copyOf(bounds, bounds.length * 2);
    }
    bounds[boundCount++] = bound;
  }

  /**
   * The start of the list's first item line, after comments, blank lines, one {@code ---} and the
   * {@code instances:} line; -1 if the text has any other shape before it. Sets the item column.
   */
  private int firstItem() {
    int line = text.startsWith("\uFEFF") ? 1 : 0;
    boolean documentStart = false;
    boolean key = false;
    while (line < text.length()) {
      int next = nextLine(line);
      int end = contentEnd(line, next);
      int content = whitespace(line, end);
      if (content == end || text.charAt(content) == '#') {
        line = next;
        continue;
      }
      if (key) {
        int indent = spaces(line, end);
        if (indent != content || !isItem(indent, end)) {
          return -1;
        }
        itemColumn = indent - line;
        return line;
      }
      if (content != line) {
        return -1;
      }
      if (!documentStart && text.startsWith("---", line) && isBlankOrComment(line + 3, end)) {
        documentStart = true;
      } else if (isInstancesKey(line, end)) {
        key = true;
      } else {
        return -1;
      }
      line = next;
    }
    return -1;
  }

  /** {@code instances:} (the key plain or quoted), then nothing but a comment on the line. */
  private boolean isInstancesKey(int line, int end) {
    for (String key : List.of("instances", "\"instances\"", "'instances'")) {
      if (text.startsWith(key, line)) {
        int colon = spaces(line + key.length(), end);
        return colon < end && text.charAt(colon) == ':' && isBlankOrComment(colon + 1, end);
      }
    }
    return false;
  }

  /** After a list: one {@code ...} document end at the line start, then only comments. */
  private boolean isTrailer(int line) {
    int next = nextLine(line);
    int end = contentEnd(line, next);
    if (!text.startsWith("...", line) || !isBlankOrComment(line + 3, end)) {
      return false;
    }
    for (line = next; line < text.length(); line = next) {
      next = nextLine(line);
      end = contentEnd(line, next);
      int content = whitespace(line, end);
      if (content != end && text.charAt(content) != '#') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the line is content of the open block scalar; closes the scalar at the first non-blank
   * line indented less than its content.
   */
  private boolean inBlockScalar(int line, int end) {
    int indent = spaces(line, end) - line;
    if (line + indent == end) {
      return true;
    }
    if (blockIndent == 0 && indent > blockParent) {
      blockIndent = indent;
    }
    if (blockIndent > 0 && indent >= blockIndent) {
      return true;
    }
    blockParent = -1;
    return false;
  }

  /**
   * Follows quotes, flow collections and block scalar headers through {@code [from, end)}, the rest
   * of a line that starts at {@code line}.
   */
  private void lexLine(int line, int from, int end) {
    int i = from;
    int parentColumn = -1;
    while (i < end) {
      if (openQuote != 0) {
        i = afterQuote(i, end);
        if (openQuote != 0) {
          return;
        }
        valueStart = false;
        continue;
      }
      char c = text.charAt(i);
      boolean afterSpace = i == line || isBlank(text.charAt(i - 1));
      if (isBlank(c)) {
        i++;
      } else if (c == '#' && afterSpace) {
        return;
      } else if (flowDepth == 0 && c == '-' && valueStart && blankAt(i + 1, end)) {
        i++;
      } else if (c == '?' && blankAt(i + 1, end)) {
        valueStart = true;
        i++;
      } else if (c == ':' && (flowDepth > 0 || blankAt(i + 1, end))) {
        valueStart = true;
        i++;
      } else if (flowDepth > 0 && c == ',') {
        valueStart = true;
        i++;
      } else if (flowDepth > 0 && (c == ']' || c == '}')) {
        flowDepth--;
        valueStart = false;
        i++;
      } else if ((c == '[' || c == '{') && (flowDepth > 0 || valueStart)) {
        flowDepth++;
        valueStart = true;
        i++;
      } else {
        if (parentColumn < 0) {
          parentColumn = i - line;
        }
        if (valueStart && (c == '"' || c == '\'')) {
          openQuote = c;
          i = afterQuote(i + 1, end);
          valueStart = false;
        } else if (valueStart && flowDepth == 0 && (c == '|' || c == '>')) {
          openBlockScalar(i + 1, end, parentColumn);
          return;
        } else if (valueStart && (c == '&' || c == '!')) {
          i = afterProperty(i, end);
        } else {
          i = afterPlain(i, end);
          valueStart = false;
        }
      }
    }
  }

  /** Past the closing quote of the open quoted scalar, or {@code end} if it goes on. */
  private int afterQuote(int i, int end) {
    while (i < end) {
      char c = text.charAt(i);
      if (openQuote == '"' && c == '\\') {
        i += 2;
      } else if (c == openQuote) {
        if (openQuote == '\'' && i + 1 < end && text.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          openQuote = 0;
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return end;
  }

  /** Past an anchor or tag ({@code &a}, {@code !!str}): up to a blank or a flow indicator. */
  private int afterProperty(int i, int end) {
    while (i < end && !isBlank(text.charAt(i)) && !(flowDepth > 0 && isFlowIndicator(i))) {
      i++;
    }
    return i;
  }

  /** Past a plain scalar: up to {@code ": "}, {@code " #"}, or in flow a flow indicator. */
  private int afterPlain(int i, int end) {
    i++;
    while (i < end) {
      char c = text.charAt(i);
      if (c == ':' && (blankAt(i + 1, end) || (flowDepth > 0 && isFlowIndicator(i + 1)))) {
        return i;
      }
      if ((flowDepth > 0 && isFlowIndicator(i)) || (c == '#' && isBlank(text.charAt(i - 1)))) {
        return i;
      }
      i++;
    }
    return end;
  }

  /** After {@code |} or {@code >}: the indentation indicator sets the content's column. */
  private void openBlockScalar(int i, int end, int parentColumn) {
    int explicit = 0;
    for (int k = 0; k < 2 && i < end; k++, i++) {
      char c = text.charAt(i);
      if (c >= '1' && c <= '9') {
        explicit = c - '0';
      } else if (c != '+' && c != '-') {
        break;
      }
    }
    blockParent = parentColumn;
    blockIndent = explicit == 0 ? 0 : parentColumn + explicit;
  }

  private boolean isItem(int i, int end) {
    return text.charAt(i) == '-' && blankAt(i + 1, end);
  }

  private boolean isFlowIndicator(int i) {
    if (i >= text.length()) {
      return false;
    }
    char c = text.charAt(i);
    return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
  }

  private boolean blankAt(int i, int end) {
    return i >= end || isBlank(text.charAt(i));
  }

  private boolean isBlankOrComment(int i, int end) {
    int content = whitespace(i, end);
    return content == end || (content > i && text.charAt(content) == '#');
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** The first index at or after {@code i} that is not a space. */
  private int spaces(int i, int end) {
    while (i < end && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The first index at or after {@code i} that is neither a space nor a tab. */
  private int whitespace(int i, int end) {
    while (i < end && isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private int nextLine(int line) {
    int newline = text.indexOf('\n', line);
    return newline < 0 ? text.length() : newline + 1;
  }

  /** The end of the line's content: before its {@code \n} or {@code \r\n}. */
  private int contentEnd(int line, int next) {
    int end = next;
    if (end > line && text.charAt(end - 1) == '\n') {
      end--;
    }
    if (end > line && text.charAt(end - 1) == '\r') {
      end--;
    }
    return end;
  }

  /**
   * Whether the text holds a character SnakeYAML reads as a line break besides LF and CRLF (a lone
   * CR, NEL, LS, PS), or rejects as not printable: where those fall, only the full parse knows.
   */
  private static boolean hasUnusualCharacter(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        continue;
      }
      boolean usual =
          c == '\n'
              || c == '\t'
              || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')
              || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029)
              || (c >= 0xE000 && c <= 0xFFFD);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        usual = true;
      }
      if (!usual) {
        return true;
      }
    }
    return false;
  }
}
