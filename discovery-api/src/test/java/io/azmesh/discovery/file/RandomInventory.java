package io.azmesh.discovery.file;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random inventory written the many ways docs/inventory.md allows: block or flow entries and
 * tags, any key order, plain or quoted scalars, multi-line values, comments and blank lines
 * anywhere, {@code ---}/{@code ...}, LF or CRLF. Each entry keeps its style seed, so an edit
 * re-renders only the entry it touches, as a person editing the file would.
 */
final class RandomInventory {
  private static final List<String> TAG_KEYS =
      List.of("mesh-service", "mesh-port", "mesh-weight", "env", "owner");
  private static final List<String> CORRUPTIONS =
      List.of(
          "bad: [",
          "private_ip: 10.0.0.1: :",
          "zone: \"unterminated",
          "unknown_field: x",
          "tags: {mesh-port: }",
          "private_ip: 10.0.0.300");

  private final Random random;
  private final List<Entry> entries = new ArrayList<>();
  private int nextName;
  private int nextAddress = 1;
  private String header;
  private boolean documentStart;
  private boolean quotedKey;
  private String keyComment;
  private int itemColumn;
  private boolean crlf;
  private String trailer;

  /** One instance and how it is written; mutable because edits change it in place. */
  private static final class Entry {
    String name;
    String privateIp;
    String zone;
    final Map<String, String> tags = new LinkedHashMap<>();
    long style;
    String corruption;
  }

  RandomInventory(long seed, int size) {
    this.random = new Random(seed);
    header = random.nextBoolean() ? "# inventory " + random.nextInt(100) + "\n" : "";
    documentStart = random.nextInt(4) == 0;
    quotedKey = random.nextInt(5) == 0;
    keyComment = random.nextInt(4) == 0 ? "   # the fleet" : "";
    itemColumn = List.of(0, 2, 4).get(random.nextInt(3));
    crlf = random.nextInt(4) == 0;
    trailer = List.of("", "", "# end\n", "...\n# after the document\n").get(random.nextInt(4));
    for (int i = 0; i < size; i++) {
      entries.add(newEntry());
    }
  }

  private Entry newEntry() {
    Entry entry = new Entry();
    entry.name = "vm-" + nextName++;
    entry.privateIp = freshIp();
    entry.zone = random.nextBoolean() ? Integer.toString(1 + random.nextInt(3)) : null;
    int tags = random.nextInt(4);
    for (int i = 0; i < tags; i++) {
      entry.tags.put(TAG_KEYS.get(random.nextInt(TAG_KEYS.size())), "v" + random.nextInt(50));
    }
    entry.style = random.nextLong();
    return entry;
  }

  private String freshIp() {
    int n = nextAddress++;
    return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
  }

  /** One random edit, any kind, including ones that make the file invalid and undo that. */
  String edit() {
    Entry entry = entries.get(random.nextInt(entries.size()));
    int kind = random.nextInt(24);
    switch (kind) {
      case 0, 1, 2, 3, 4 -> entry.privateIp = freshIp();
      case 5, 6 -> entry.tags.put("mesh-service", "svc-" + random.nextInt(9));
      case 7, 8 -> entry.style = random.nextLong();
      case 9, 10 -> entries.add(random.nextInt(entries.size() + 1), newEntry());
      case 11, 12 -> {
        if (entries.size() > 1) {
          entries.remove(entry);
        }
      }
      case 13 -> {
        entries.remove(entry);
        entries.add(random.nextInt(entries.size() + 1), entry);
      }
      case 14, 15 -> entry.corruption = CORRUPTIONS.get(random.nextInt(CORRUPTIONS.size()));
      case 16, 17 -> entries.forEach(e -> e.corruption = null);
      case 18 -> entry.name = entries.get(random.nextInt(entries.size())).name;
      case 19 -> entry.name = "vm-" + nextName++;
      case 20 -> header = "# edited " + random.nextInt(100) + "\n";
      case 21 -> crlf = !crlf;
      case 22 -> trailer = random.nextBoolean() ? "" : "# end " + random.nextInt(9) + "\n";
      default -> entry.zone = entry.zone == null ? "2" : null;
    }
    return text();
  }

  /** Changes one entry's private IP: a single-instance change that keeps the file valid. */
  String changeOneIp() {
    entries.get(random.nextInt(entries.size())).privateIp = freshIp();
    return text();
  }

  String text() {
    StringBuilder out = new StringBuilder(header);
    if (documentStart) {
      out.append("---\n");
    }
    out.append(quotedKey ? "\"instances\":" : "instances:").append(keyComment).append('\n');
    for (Entry entry : entries) {
      render(entry, out);
    }
    out.append(trailer);
    String text = out.toString();
    return crlf ? text.replace("\n", "\r\n") : text;
  }

  private void render(Entry entry, StringBuilder out) {
    Random style = new Random(entry.style);
    String dash = " ".repeat(itemColumn) + "-";
    String indent = " ".repeat(itemColumn + 2);
    boolean flow = style.nextInt(3) == 0 && entry.corruption == null;
    List<String[]> fields = new ArrayList<>();
    fields.add(new String[] {"name", scalar(entry.name, style)});
    fields.add(new String[] {"private_ip", scalar(entry.privateIp, style)});
    if (entry.zone != null) {
      fields.add(new String[] {"zone", scalar(entry.zone, style)});
    }
    if (style.nextInt(3) == 0) {
      fields.add(new String[] {"location", location(style, indent, flow)});
    }
    if (style.nextInt(4) == 0) {
      fields.add(new String[] {"power_state", scalar("running", style)});
    }
    if (!entry.tags.isEmpty() || style.nextInt(4) == 0) {
      fields.add(new String[] {"tags", tags(entry.tags, style, indent, flow)});
    }
    Collections.shuffle(fields, style);
    if (flow) {
      String separator = style.nextBoolean() ? ", " : ",\n" + indent;
      out.append(dash).append(" {");
      for (int i = 0; i < fields.size(); i++) {
        out.append(i == 0 ? "" : separator).append(key(fields.get(i)[0], style)).append(": ");
        out.append(fields.get(i)[1]);
      }
      out.append("}").append(comment(style)).append('\n');
    } else {
      boolean dashAlone = style.nextInt(4) == 0;
      out.append(dash).append(dashAlone ? comment(style) + "\n" + indent : " ");
      for (int i = 0; i < fields.size(); i++) {
        out.append(i == 0 ? "" : indent).append(key(fields.get(i)[0], style)).append(": ");
        out.append(fields.get(i)[1]).append(comment(style)).append('\n');
      }
      if (entry.corruption != null) {
        out.append(indent).append(entry.corruption).append('\n');
      }
    }
    if (style.nextInt(5) == 0) {
      out.append(" ".repeat(style.nextInt(itemColumn + 5))).append("# between\n");
    }
    if (style.nextInt(5) == 0) {
      out.append('\n');
    }
  }

  private static String key(String key, Random style) {
    return style.nextInt(6) == 0 ? "'" + key + "'" : key;
  }

  private static String scalar(String value, Random style) {
    return switch (style.nextInt(3)) {
      case 0 -> value;
      case 1 -> "'" + value + "'";
      default -> "\"" + value + "\"";
    };
  }

  /** A location, sometimes over several lines: a block scalar, a quoted or a plain one. */
  private static String location(Random style, String indent, boolean flow) {
    int kind = style.nextInt(6);
    if (flow && (kind == 0 || kind == 2)) {
      return "westeurope";
    }
    return switch (kind) {
      case 0 -> "|-\n" + indent + "  westeurope\n" + indent + "  - not an item";
      case 1 -> "\"west\n- name: not-an-item\n" + indent + "  europe\"";
      case 2 -> "west\n" + indent + "  europe";
      case 3 -> "'north # not a comment'";
      default -> "westeurope";
    };
  }

  private static String tags(Map<String, String> tags, Random style, String indent, boolean flow) {
    if (tags.isEmpty()) {
      return style.nextBoolean() ? "{}" : "null";
    }
    List<String> pairs = new ArrayList<>();
    tags.forEach((k, v) -> pairs.add(k + ": " + scalar(v, style)));
    return switch (style.nextInt(flow ? 2 : 3)) {
      case 0 -> "{" + String.join(", ", pairs) + "}";
      case 1 ->
          "{\n" + indent + "  " + String.join(",\n" + indent + "  ", pairs) + "\n" + indent + "}";
      default -> "\n" + indent + "  " + String.join("\n" + indent + "  ", pairs);
    };
  }

  private static String comment(Random style) {
    return style.nextInt(5) == 0 ? "  # note" : "";
  }
}
