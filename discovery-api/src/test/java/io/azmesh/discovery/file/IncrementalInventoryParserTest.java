package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Re-parsing after an edit gives exactly what a full parse of the edited file gives. */
class IncrementalInventoryParserTest {
  private final IncrementalInventoryParser incremental =
      new IncrementalInventoryParser("inv.yaml", InventoryFormat.YAML);
  private final InventoryParser full = new InventoryParser("inv.yaml", InventoryFormat.YAML);

  private static String inventory(int size, String changedIp) {
    return "instances:\n"
        + IntStream.range(0, size)
            .mapToObj(
                i ->
                    "  - name: vm-"
                        + i
                        + "\n    private_ip: "
                        + (i == 3 ? changedIp : "10.0.0." + (i + 10))
                        + "\n    zone: \"1\"\n    tags: {mesh-service: web}\n")
            .collect(Collectors.joining());
  }

  @Test
  void parse_oneChangedEntry_givesTheFullParsersResult() throws Exception {
    incremental.parse(inventory(20, "10.0.0.13"));

    String edited = inventory(20, "10.9.9.9");
    List<Instance> instances = incremental.parse(edited);

    assertThat(instances).isEqualTo(full.parse(edited));
    assertThat(instances.get(3).privateIp()).isEqualTo("10.9.9.9");
  }

  @Test
  void parse_addedAndRemovedEntries_keepFileOrder() throws Exception {
    incremental.parse(inventory(20, "10.0.0.13"));
    String edited =
        inventory(20, "10.0.0.13").replace("  - name: vm-5\n", "  - name: vm-new\n")
            + "  - name: vm-last\n    private_ip: 10.0.1.1\n";

    assertThat(incremental.parse(edited)).isEqualTo(full.parse(edited));
  }

  @Test
  void parse_problemInAChangedEntry_isReportedWithItsLineInTheFile() throws Exception {
    incremental.parse(inventory(20, "10.0.0.13"));

    InvalidInventoryException e =
        catchThrowableOfType(
            () -> incremental.parse(inventory(20, "10.0.0.300")), InvalidInventoryException.class);

    assertThat(e.problems())
        .extracting(Problem::message)
        .containsExactly("inv.yaml:15: private_ip is '10.0.0.300', not an IP address");
  }

  @Test
  void parse_changedEntryDuplicatingAName_isReportedLikeAFullParse() throws Exception {
    incremental.parse(inventory(20, "10.0.0.13"));
    String edited = inventory(20, "10.0.0.13").replace("name: vm-7\n", "name: vm-2\n");

    InvalidInventoryException e =
        catchThrowableOfType(() -> incremental.parse(edited), InvalidInventoryException.class);

    assertThat(e.problems())
        .extracting(Problem::message)
        .containsExactly("inv.yaml:30: name is 'vm-2', already used on line 10");
  }

  @Test
  void split_onlyPlainBlockStyle() {
    assertThat(InventoryEntries.split("instances:\n  - name: a\n    private_ip: 10.0.0.1\n"))
        .hasValueSatisfying(e -> assertThat(e.entries()).hasSize(1));
    assertThat(InventoryEntries.split("instances:\n# note\n  - name: a\n")).isEmpty();
    assertThat(InventoryEntries.split("instances: []\n")).isEmpty();
    assertThat(InventoryEntries.split("{\"instances\": []}")).isEmpty();
    assertThat(InventoryEntries.split("instances:\r\n  - name: a\r\n")).isEmpty();
    assertThat(InventoryEntries.split("instances:\n  - name: a\nother: 1\n")).isEmpty();
  }
}
