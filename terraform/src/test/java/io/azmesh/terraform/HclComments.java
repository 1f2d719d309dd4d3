package io.azmesh.terraform;

/**
 * Removes HCL comments ({@code #}, {@code //}, {@code /* *\/}) but keeps strings and line breaks.
 */
final class HclComments {

  private HclComments() {}

  /** The source with every comment blanked out; line numbers stay where they were. */
  static String strip(String source) {
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
}
