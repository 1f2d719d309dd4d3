package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The incremental parse equals the full parse after every step of random edit sequences on random
 * inventories in random styles, and a one-instance edit of a valid file re-parses one entry.
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
    for (int step = 0; step <= edits; step++) {
      assertThat(ParseOutcome.of(incremental, text))
          .as("step %d of seed %d:%n%s", step, seed, text)
          .isEqualTo(ParseOutcome.of(full, text));
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
