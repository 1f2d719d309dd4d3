package io.azmesh.discovery.file;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceChanges;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses an inventory again after an edit, reading only the entries whose text changed.
 *
 * <p>A 10,000-instance YAML file takes a quarter of a second of CPU to parse, and most edits change
 * one instance. The text is compared with the last one parsed: entries wholly in the unchanged
 * start or end keep the instance they gave, {@link InventorySplitter#resplit} finds the entries in
 * between, and those are parsed alone. The cost follows the size of the edit, plus a few passes
 * over the text that do little per character.
 *
 * <p>The full parse stays the oracle. Entries are reused only once a full parse of the same frame
 * (the text around the entries) gave, entry by entry, what each entry gives alone; a split that
 * disagrees is not used again until the frame changes. A changed entry that has a problem or is not
 * exactly one instance, a duplicate name, a changed frame, or a text the splitter cannot divide
 * sends the edit to the full parse, so results and error messages, lines included, are exactly the
 * full parser's. Each full parse is counted with its {@link FullParseReason}. Not thread-safe.
 */
final class IncrementalInventoryParser {
  private final InventoryParser parser;
  private final InventoryFormat format;
  // The layout of the last parse that went through, once a full parse confirmed its frame; null
  // until then. Its instances, one per entry, and their names.
  private InventoryLayout.Entries current;
  // current's text as ASCII bytes, when it is ASCII and they were given; and this parse's.
  private byte[] currentBytes;
  private byte[] textBytes;
  private Instance[] instances;
  private Set<String> names;
  // A layout whose split disagreed with the full parse; its frame is parsed whole.
  private InventoryLayout.Entries disagreeing;
  // What the last successful parse returned: what the next one's changes are relative to.
  private List<Instance> lastResult;
  // Why the last reuse did not go through.
  private FullParseReason reuseFailure;
  // How much of the text is unchanged since current's, at the start and at the end.
  private int prefix;
  private int suffix;
  private long incrementalParses;
  private long fullParses;
  private long entriesParsed;
  private long entriesVerified;
  private final Map<FullParseReason, Long> fullParsesByReason =
      new EnumMap<>(FullParseReason.class);

  /** The instances of one parse, and what changed since the previous successful one, if any. */
  /**
   * One parse.
   *
   * @param instances every instance, in file order
   * @param changes what changed since the previous successful parse, if there was one
   * @param parsed the instances this parse read: the changed entries of an incremental parse, every
   *     instance of a full one
   */
  record Result(
      List<Instance> instances, Optional<InstanceChanges> changes, List<Instance> parsed) {}

  IncrementalInventoryParser(String source, InventoryFormat format) {
    this.parser = new InventoryParser(source, format);
    this.format = format;
  }

  /** The instances of {@code text}, in file order; throws if anything in it is wrong. */
  List<Instance> parse(String text) throws InvalidInventoryException {
    return parseWithChanges(text).instances();
  }

  /** Like {@link #parse}, with the changes since the previous successful parse. */
  Result parseWithChanges(String text) throws InvalidInventoryException {
    return parseWithChanges(text, null);
  }

  /**
   * Like {@link #parseWithChanges(String)}, given also the UTF-8 bytes {@code text} was decoded
   * from (or null): when both this text and the last are ASCII, they are compared as bytes, which
   * the JVM does many bytes at a time.
   */
  Result parseWithChanges(String text, byte[] utf8) throws InvalidInventoryException {
    textBytes = utf8 != null && utf8.length == text.length() ? utf8 : null;
    InventoryLayout layout = layout(text);
    FullParseReason reason;
    if (layout instanceof InventoryLayout.Entries entries) {
      reason = unverified(entries);
      if (reason == null) {
        Result reused = reuse(entries);
        if (reused != null) {
          incrementalParses++;
          lastResult = reused.instances();
          return reused;
        }
        reason = reuseFailure;
      }
    } else {
      reason = ((InventoryLayout.Whole) layout).reason();
    }
    return full(text, layout, reason);
  }

  /** What the parses so far cost. */
  InventoryParseStats stats() {
    return new InventoryParseStats(
        incrementalParses, fullParses, entriesParsed, entriesVerified, fullParsesByReason);
  }

  private InventoryLayout layout(String text) {
    if (format == InventoryFormat.JSON) {
      return new InventoryLayout.Whole(FullParseReason.JSON_FILE);
    }
    if (current == null) {
      return InventorySplitter.split(text);
    }
    if (textBytes != null && currentBytes != null) {
      // Both ASCII (as many bytes as characters): byte i is character i.
      prefix = commonPrefix(currentBytes, textBytes);
      suffix = commonSuffix(currentBytes, textBytes, prefix);
    } else {
      prefix = InventorySplitter.commonPrefix(current.text(), text);
      suffix = InventorySplitter.commonSuffix(current.text(), text, prefix);
    }
    return InventorySplitter.resplit(text, current, prefix, suffix);
  }

  private FullParseReason unverified(InventoryLayout.Entries entries) {
    if (current == null) {
      return disagreeing != null && disagreeing.sameFrame(entries)
          ? FullParseReason.SPLIT_DISAGREES
          : FullParseReason.NO_VERIFIED_ENTRIES;
    }
    return current.sameFrame(entries) ? null : FullParseReason.FRAME_CHANGED;
  }

  /**
   * The instances of {@code entries}: kept for the entries the edit did not touch, parsed alone for
   * the others; null (with {@link #reuseFailure} set) if that does not go through.
   */
  private Result reuse(InventoryLayout.Entries entries) {
    int[] old = current.bounds();
    int[] now = entries.bounds();
    int oldCount = current.count();
    int count = entries.count();
    int delta = entries.text().length() - current.text().length();
    // Entries wholly in the unchanged start, then in the unchanged end (shifted by delta).
    int head = 0;
    while (head < Math.min(oldCount, count)
        && now[head + 1] == old[head + 1]
        && now[head + 1] <= prefix) {
      head++;
    }
    int unchangedEnd = entries.text().length() - suffix;
    int tail = 0;
    while (tail < Math.min(oldCount, count) - head
        && now[count - tail - 1] >= unchangedEnd
        && now[count - tail - 1] - delta == old[oldCount - tail - 1]) {
      tail++;
    }
    Map<String, Instance> replaced = new HashMap<>();
    for (int i = head; i < oldCount - tail; i++) {
      replaced.put(instances[i].name(), instances[i]);
    }
    Instance[] parsed = new Instance[count - tail - head];
    Set<String> parsedNames = new HashSet<>();
    for (int i = 0; i < parsed.length; i++) {
      entriesParsed++;
      Optional<Instance> alone = parser.parseEntry(entries.entry(head + i));
      if (alone.isEmpty()) {
        reuseFailure = FullParseReason.ENTRY_NOT_ONE_INSTANCE;
        return null;
      }
      String name = alone.get().name();
      if (!parsedNames.add(name) || (names.contains(name) && !replaced.containsKey(name))) {
        reuseFailure = FullParseReason.DUPLICATE_NAME;
        return null;
      }
      parsed[i] = alone.get();
    }
    Instance[] next = new Instance[count];
    System.arraycopy(instances, 0, next, 0, head);
    System.arraycopy(parsed, 0, next, head, parsed.length);
    System.arraycopy(instances, oldCount - tail, next, head + parsed.length, tail);
    Set<String> added = new TreeSet<>();
    Set<String> changed = new TreeSet<>();
    for (Instance instance : parsed) {
      Instance before = replaced.remove(instance.name());
      if (before == null) {
        added.add(instance.name());
      } else if (!before.equals(instance)) {
        changed.add(instance.name());
      }
    }
    names.removeAll(replaced.keySet());
    names.addAll(added);
    current = entries;
    currentBytes = textBytes;
    instances = next;
    return new Result(
        Collections.unmodifiableList(Arrays.asList(next)),
        Optional.of(new InstanceChanges(added, changed, replaced.keySet())),
        Arrays.asList(parsed));
  }

  private Result full(String text, InventoryLayout layout, FullParseReason reason)
      throws InvalidInventoryException {
    fullParses++;
    fullParsesByReason.merge(reason, 1L, Long::sum);
    List<Instance> parsed = parser.parse(text);
    current = null;
    Optional<InstanceChanges> changes =
        Optional.ofNullable(lastResult).map(before -> InstanceChanges.between(before, parsed));
    lastResult = parsed;
    if (layout instanceof InventoryLayout.Entries entries
        && reason != FullParseReason.SPLIT_DISAGREES) {
      verify(entries, parsed);
    }
    return new Result(parsed, changes, parsed);
  }

  /** Keeps the entries for reuse if each, parsed alone, gives what the full parse gave. */
  private void verify(InventoryLayout.Entries entries, List<Instance> parsed) {
    if (entries.count() != parsed.size()) {
      disagreeing = entries;
      return;
    }
    for (int i = 0; i < entries.count(); i++) {
      entriesVerified++;
      if (!parser.parseEntry(entries.entry(i)).equals(Optional.of(parsed.get(i)))) {
        disagreeing = entries;
        return;
      }
    }
    current = entries;
    currentBytes = textBytes;
    instances = parsed.toArray(new Instance[0]);
    names = new HashSet<>(parsed.size() * 2);
    parsed.forEach(instance -> names.add(instance.name()));
    disagreeing = null;
  }

  private static int commonPrefix(byte[] a, byte[] b) {
    int mismatch = Arrays.mismatch(a, b);
    return mismatch < 0 ? a.length : mismatch;
  }

  private static int commonSuffix(byte[] a, byte[] b, int prefix) {
    int limit = Math.min(a.length, b.length) - prefix;
    int block = 4096;
    int i = 0;
    while (i + block <= limit
        && Arrays.equals(
            a, a.length - i - block, a.length - i, b, b.length - i - block, b.length - i)) {
      i += block;
    }
    while (i < limit && a[a.length - 1 - i] == b[b.length - 1 - i]) {
      i++;
    }
    return i;
  }
}
