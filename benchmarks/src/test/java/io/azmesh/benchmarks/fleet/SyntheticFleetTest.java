package io.azmesh.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.discovery.file.InventoryParseStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every inventory shape the load generator writes holds the same fleet, and a single-endpoint
 * change in any of them takes the file provider's incremental path (counted, not timed).
 */
class SyntheticFleetTest {
  @TempDir Path dir;

  @Test
  void write_everyShape_holdsTheSameFleetAndEditsParseOneEntry() throws Exception {
    List<Instance> plain = null;
    for (InventoryShape.Header header : InventoryShape.Header.values()) {
      for (InventoryShape.Tags tags : InventoryShape.Tags.values()) {
        for (InventoryShape.KeyOrder order : InventoryShape.KeyOrder.values()) {
          InventoryShape shape = new InventoryShape(header, tags, order);
          Path file =
              Files.createDirectories(dir.resolve(header + "-" + tags + "-" + order))
                  .resolve("inv.yaml");
          SyntheticFleet fleet = new SyntheticFleet(file, 60, 5, shape, 7);
          fleet.write();
          try (FileDiscoveryProvider provider =
              FileDiscoveryProvider.builder(file).settle(Duration.ZERO).build()) {
            List<Instance> instances = provider.discover().instances();
            if (plain == null) {
              plain = instances;
            }
            assertThat(instances).as(shape.toString()).isEqualTo(plain);

            fleet.apply(fleet.plan(EndpointChange.Kind.IP_CHANGE));
            fleet.write();
            provider.discover();

            InventoryParseStats stats = provider.parseStats();
            assertThat(stats.fullParses()).as(shape.toString()).isEqualTo(1);
            assertThat(stats.incrementalParses()).as(shape.toString()).isEqualTo(1);
            assertThat(stats.entriesParsed()).as(shape.toString()).isEqualTo(1);
          }
          if (header == InventoryShape.Header.COMMENT) {
            assertThat(Files.readString(file)).startsWith("# ");
          }
        }
      }
    }
  }

  @Test
  void parse_inventoryShapeOptions() {
    FleetOptions options =
        FleetOptions.parse(
            new String[] {
              "--inventory-header",
              "comment",
              "--inventory-tags",
              "block",
              "--inventory-key-order",
              "shuffled",
              "--work-dir",
              dir.toString()
            });

    assertThat(options.inventoryShape())
        .isEqualTo(
            new InventoryShape(
                InventoryShape.Header.COMMENT,
                InventoryShape.Tags.BLOCK,
                InventoryShape.KeyOrder.SHUFFLED));
    assertThat(FleetOptions.parse(new String[] {"--work-dir", dir.toString()}).inventoryShape())
        .isEqualTo(InventoryShape.PLAIN);
  }

  @Test
  void parse_unknownTagStyle_namesTheOptionAndTheChoices() {
    assertThatThrownBy(() -> FleetOptions.parse(new String[] {"--inventory-tags", "inline"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--inventory-tags is 'inline', not one of [flow, block]");
  }
}
