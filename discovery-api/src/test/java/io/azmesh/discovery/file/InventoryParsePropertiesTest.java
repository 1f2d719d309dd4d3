package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceChanges;
import io.azmesh.discovery.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The incremental parse equals the full parse after every step of random edit sequences on random
 * inventories in random styles (instances, problems and the changes it reports), re-splitting
 * around an edit equals splitting the whole text, and a one-instance edit of a valid file re-parses
 * one entry.
 */
class InventoryParsePropertiesTest {

  @Property(tries = 300)
  void incrementalParse_equalsFullParse_afterEveryEdit(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 30) int size,
      @ForAll @IntRange(min = 1, max = 25) int edits) {
    RandomInventory inventory = new RandomInventory(seed, size);
    IncrementalInventoryParser incremental =
        new IncrementalInventoryParser("inv.yaml", InventoryFormat.YAML);
    InventoryParser full = new InventoryParser("inv.yaml", InventoryFormat.YAML);

    String text = inventory.text();
    List<Instance> lastGood = null;
    for (int step = 0; step <= edits; step++) {
      ParseOutcome expected = ParseOutcome.of(full, text);
      try {
        // Half the runs give the bytes too, so texts are compared as bytes (they are ASCII).
        IncrementalInventoryParser.Result result =
            incremental.parseWithChanges(
                text, seed % 2 == 0 ? text.getBytes(StandardCharsets.UTF_8) : null);
        assertThat(new ParseOutcome(result.instances(), List.of()))
            .as("step %d of seed %d:%n%s", step, seed, text)
            .isEqualTo(expected);
        assertThat(result.changes())
            .as("changes at step %d of seed %d", step, seed)
            .isEqualTo(
                Optional.ofNullable(lastGood)
                    .map(before -> InstanceChanges.between(before, result.instances())));
        lastGood = result.instances();
      } catch (InvalidInventoryException e) {
        assertThat(e.problems().stream().map(Problem::message).toList())
            .as("step %d of seed %d:%n%s", step, seed, text)
            .isEqualTo(expected.problems());
        assertThat(expected.problems()).isNotEmpty();
      }
      text = inventory.edit();
    }
    InventoryParseStats stats = incremental.stats();
    Statistics.label("parses")
        .collect(stats.incrementalParses() > 0 ? "some incremental" : "all full");
    stats
        .fullParsesByReason()
        .keySet()
        .forEach(r -> Statistics.label("full parse reasons").collect(r));
  }

  /**
   * The provider keeps its instances in id order by applying each parse's changes to the last ones:
   * they are always the full parse's, sorted.
   */
  @Property(tries = 100)
  void provider_givesTheFullParseInIdOrder_afterEveryEdit(
      @ForAll long seed,
      @ForAll @IntRange(min = 8, max = 40) int size,
      @ForAll @IntRange(min = 1, max = 25) int edits)
      throws java.io.IOException {
    RandomInventory inventory = new RandomInventory(seed, size);
    InventoryParser full = new InventoryParser("inv.yaml", InventoryFormat.YAML);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("azmesh-provider-property");
    java.nio.file.Path file = dir.resolve("inv.yaml");
    try {
      java.nio.file.Files.writeString(file, inventory.text());
      try (FileDiscoveryProvider provider =
          FileDiscoveryProvider.builder(file).settle(java.time.Duration.ZERO).build()) {
        for (int step = 0; step <= edits; step++) {
          String text = java.nio.file.Files.readString(file);
          ParseOutcome expected = ParseOutcome.of(full, text);
          try {
            List<Instance> got = provider.discover().instances();
            if (expected.problems().isEmpty()) {
              assertThat(got)
                  .as("step %d of seed %d:%n%s", step, seed, text)
                  .isEqualTo(
                      expected.instances().stream()
                          .sorted(java.util.Comparator.comparing(Instance::id))
                          .toList());
            }
          } catch (io.azmesh.discovery.DiscoveryException e) {
            assertThat(expected.problems()).isNotEmpty();
          }
          java.nio.file.Path next = dir.resolve("next.yaml");
          java.nio.file.Files.writeString(next, inventory.edit());
          java.nio.file.Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } finally {
      try (var files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  @Property(tries = 300)
  void resplit_givesWhatSplitGives_afterEveryEdit(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 30) int size,
      @ForAll @IntRange(min = 1, max = 25) int edits) {
    RandomInventory inventory = new RandomInventory(seed, size);
    String before = inventory.text();
    for (int step = 0; step < edits; step++) {
      String after = inventory.edit();
      if (InventorySplitter.split(before) instanceof InventoryLayout.Entries previous) {
        int prefix = InventorySplitter.commonPrefix(before, after);
        int suffix = InventorySplitter.commonSuffix(before, after, prefix);

        assertThat(describe(InventorySplitter.resplit(after, previous, prefix, suffix)))
            .as("step %d of seed %d:%n%s%n---%n%s", step, seed, before, after)
            .isEqualTo(describe(InventorySplitter.split(after)));
      }
      before = after;
    }
  }

  /** A layout as a comparable value: the reason, or the item column and bounds. */
  private static String describe(InventoryLayout layout) {
    return layout instanceof InventoryLayout.Entries entries
        ? entries.itemColumn() + " " + Arrays.toString(entries.bounds())
        : layout.toString();
  }

  @Property(tries = 300)
  void oneInstanceEdit_reparsesOneEntry_inEveryStyle(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int size) {
    RandomInventory inventory = new RandomInventory(seed, size);
    IncrementalInventoryParser incremental =
        new IncrementalInventoryParser("inv.yaml", InventoryFormat.YAML);
    InventoryParser full = new InventoryParser("inv.yaml", InventoryFormat.YAML);
    String before = inventory.text();
    String after = inventory.changeOneIp();

    assertThat(ParseOutcome.of(incremental, before).problems()).as(before).isEmpty();
    assertThat(ParseOutcome.of(incremental, after))
        .as(after)
        .isEqualTo(ParseOutcome.of(full, after));

    InventoryParseStats stats = incremental.stats();
    assertThat(stats.fullParses()).as(after).isEqualTo(1);
    assertThat(stats.incrementalParses()).as(after).isEqualTo(1);
    assertThat(stats.entriesParsed()).as(after).isEqualTo(1);
  }
}
