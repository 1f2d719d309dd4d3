package io.azmesh.discovery.file;

import io.azmesh.discovery.Instance;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses an inventory again after an edit, reading only the entries whose text changed.
 *
 * <p>A 10,000-instance YAML file takes a quarter of a second of CPU to parse, and most edits change
 * one instance. {@link InventorySplitter} cuts the file into entries; entries whose text is
 * unchanged reuse the instance they gave before, changed ones are parsed alone.
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
  // What each entry text gives alone, for the texts of the last parse that went through.
  private Map<String, Instance> byText = Map.of();
  // The layout whose frame a full parse confirmed; null until one did.
  private InventoryLayout.Entries verified;
  // A layout whose split disagreed with the full parse; its frame is parsed whole.
  private InventoryLayout.Entries disagreeing;
  private long incrementalParses;
  private long fullParses;
  private long entriesParsed;
  private long entriesVerified;
  private final Map<FullParseReason, Long> fullParsesByReason =
      new EnumMap<>(FullParseReason.class);

  IncrementalInventoryParser(String source, InventoryFormat format) {
    this.parser = new InventoryParser(source, format);
    this.format = format;
  }

  /** The instances of {@code text}, in file order; throws if anything in it is wrong. */
  List<Instance> parse(String text) throws InvalidInventoryException {
    InventoryLayout layout =
        format == InventoryFormat.JSON
            ? new InventoryLayout.Whole(FullParseReason.JSON_FILE)
            : InventorySplitter.split(text);
    FullParseReason reason;
    if (layout instanceof InventoryLayout.Entries entries) {
      List<Instance> instances = new ArrayList<>(entries.texts().size());
      reason = unverified(entries);
      if (reason == null) {
        reason = reuse(entries, instances);
      }
      if (reason == null) {
        incrementalParses++;
        return instances;
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

  private FullParseReason unverified(InventoryLayout.Entries entries) {
    if (verified == null) {
      return disagreeing != null && disagreeing.sameFrame(entries)
          ? FullParseReason.SPLIT_DISAGREES
          : FullParseReason.NO_VERIFIED_ENTRIES;
    }
    return verified.sameFrame(entries) ? null : FullParseReason.FRAME_CHANGED;
  }

  /** Fills {@code instances} from known and freshly parsed entries; null if that went through. */
  private FullParseReason reuse(InventoryLayout.Entries entries, List<Instance> instances) {
    Map<String, Instance> next = new HashMap<>(entries.texts().size() * 2);
    Set<String> names = new HashSet<>(entries.texts().size() * 2);
    for (String text : entries.texts()) {
      Instance instance = byText.get(text);
      if (instance == null) {
        entriesParsed++;
        Optional<Instance> alone = parser.parseEntry(text);
        if (alone.isEmpty()) {
          return FullParseReason.ENTRY_NOT_ONE_INSTANCE;
        }
        instance = alone.get();
      }
      if (!names.add(instance.name())) {
        return FullParseReason.DUPLICATE_NAME;
      }
      next.put(text, instance);
      instances.add(instance);
    }
    byText = next;
    return null;
  }

  private List<Instance> full(String text, InventoryLayout layout, FullParseReason reason)
      throws InvalidInventoryException {
    fullParses++;
    fullParsesByReason.merge(reason, 1L, Long::sum);
    List<Instance> instances = parser.parse(text);
    if (layout instanceof InventoryLayout.Entries entries
        && reason != FullParseReason.SPLIT_DISAGREES) {
      verify(entries, instances);
    }
    return instances;
  }

  /** Keeps the entries for reuse if each, parsed alone, gives what the full parse gave. */
  private void verify(InventoryLayout.Entries entries, List<Instance> instances) {
    List<String> texts = entries.texts();
    if (texts.size() != instances.size()) {
      disagree(entries);
      return;
    }
    Map<String, Instance> next = new HashMap<>(texts.size() * 2);
    for (int i = 0; i < texts.size(); i++) {
      Instance alone = byText.get(texts.get(i));
      if (alone == null) {
        entriesVerified++;
        alone = parser.parseEntry(texts.get(i)).orElse(null);
      }
      if (!instances.get(i).equals(alone)) {
        disagree(entries);
        return;
      }
      next.put(texts.get(i), alone);
    }
    byText = next;
    verified = entries;
    disagreeing = null;
  }

  private void disagree(InventoryLayout.Entries entries) {
    byText = Map.of();
    verified = null;
    disagreeing = entries;
  }
}
