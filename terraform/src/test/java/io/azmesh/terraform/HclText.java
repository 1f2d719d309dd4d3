package io.azmesh.terraform;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes HCL comments ({@code #}, {@code //}, {@code /* *\/}) but keeps strings and line breaks.
 */
final class HclText {

  private HclText() {}

  /**
   * The source with every comment ({@code #}, {@code //}, {@code /* *\/}) removed, strings kept;
   * line numbers stay where they were.
   */
  static String stripComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    boolean inString = false;
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < source.length()) {
          out.append(source.charAt(i + 1));
          i += 2;
          continue;
        }
        inString = c != '"';
        i++;
      } else if (c == '"') {
        inString = true;
        out.append(c);
        i++;
      } else if (c == '#' || source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        int stop = end < 0 ? source.length() : end + 2;
        source.substring(i, stop).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
        i = stop;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Comment-free {@code code} with every top-level block of {@code kind} (e.g. {@code variable})
   * replaced by its line breaks, so what remains is everything outside those blocks.
   */
  static String withoutBlocks(String code, String kind) {
    Matcher start = Pattern.compile("(?m)^" + Pattern.quote(kind) + "\\b[^{\\n]*\\{").matcher(code);
    StringBuilder out = new StringBuilder(code.length());
    int copied = 0;
    while (start.find(copied)) {
      int end = closingBrace(code, start.end() - 1);
      out.append(code, copied, start.start());
      code.substring(start.start(), end)
          .chars()
          .filter(c -> c == '\n')
          .forEach(c -> out.append('\n'));
      copied = end;
    }
    return out.append(code.substring(copied)).toString();
  }

  // Index just past the brace that closes the one at {@code open}, skipping braces in strings.
  private static int closingBrace(String code, int open) {
    return closing(code, open, '{', '}') + 1;
  }

  /**
   * Index of the {@code close} that closes the {@code open} character at {@code from}, skipping
   * both inside strings.
   */
  static int closing(String code, int from, char open, char close) {
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < code.length(); i++) {
      char c = code.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("'" + open + "' at offset " + from + " is never closed");
  }
}
