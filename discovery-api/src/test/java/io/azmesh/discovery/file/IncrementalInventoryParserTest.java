package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Re-parsing after an edit gives exactly what a full parse of the edited file gives, whatever the
 * file's style, and re-parses only the entries whose text changed.
 */
class IncrementalInventoryParserTest {
  private final IncrementalInventoryParser incremental =
      new IncrementalInventoryParser("inv.yaml", InventoryFormat.YAML);
  private final InventoryParser full = new InventoryParser("inv.yaml", InventoryFormat.YAML);

  /** Parses each text in turn, asserting after each that the result is the full parser's. */
  private void assertEachSameAsFull(String... texts) {
    for (String text : texts) {
      assertThat(ParseOutcome.of(incremental, text))
          .as(text)
          .isEqualTo(ParseOutcome.of(full, text));
    }
  }

  private static String block(int size, String changedIp) {
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
  void parse_shippedExampleWithOneIpChanged_reparsesOneEntry() throws Exception {
    String example = Files.readString(Path.of("..", "examples", "inventory.yaml"));
    String edited = example.replace("private_ip: 10.0.1.4", "private_ip: 10.0.1.40");
    assertThat(edited).isNotEqualTo(example);

    assertEachSameAsFull(example, edited);

    InventoryParseStats stats = incremental.stats();
    assertThat(stats.fullParses()).isEqualTo(1);
    assertThat(stats.fullParsesByReason())
        .isEqualTo(Map.of(FullParseReason.NO_VERIFIED_ENTRIES, 1L));
    assertThat(stats.incrementalParses()).isEqualTo(1);
    assertThat(stats.entriesParsed()).isEqualTo(1);
  }

  @Test
  void parse_commentHeaderAndFlowTags_reparsesOneEntry() {
    String before =
        "# fleet of the benchmark\n"
            + IntStream.range(0, 50)
                .mapToObj(
                    i ->
                        (i == 0 ? "instances:\n" : "")
                            + "  - name: vm-"
                            + i
                            + "\n    private_ip: 10.0.0."
                            + i
                            + "\n    public_ip: 20.0.0."
                            + i
                            + "\n    tags: {mesh-service: svc-0001, mesh-port: \"8080\"}\n")
                .collect(Collectors.joining());
    String after = before.replace("private_ip: 10.0.0.17\n", "private_ip: 10.0.9.17\n");

    assertEachSameAsFull(before, after);

    assertThat(incremental.stats().entriesParsed()).isEqualTo(1);
    assertThat(incremental.stats().fullParses()).isEqualTo(1);
  }

  @Test
  void parse_flowEntriesReorderedKeysAndQuotes_sameAsFull() {
    String before =
        """
        ---
        # two styles in one file
        "instances":   # the fleet
        - {private_ip: "10.0.0.1", name: 'a', tags: {mesh-service: web}}
        - zone: '2'
          name: b
          private_ip: 10.0.0.2
          tags:
            mesh-service: web
            mesh-port: 8080
        -
          name: "c"
          private_ip: 10.0.0.3
        """;
    String after = before.replace("name: 'a'", "name: 'a-renamed'");
    String restyled =
        after.replace(
            "- {private_ip: \"10.0.0.1\", name: 'a-renamed', tags: {mesh-service: web}}\n",
            "- tags: {mesh-service: web}\n  private_ip: 10.0.0.1\n  name: a-renamed\n");

    assertEachSameAsFull(before, after, restyled);

    assertThat(incremental.stats().fullParses()).isEqualTo(1);
    assertThat(incremental.stats().entriesParsed()).isEqualTo(2);
  }

  @Test
  void parse_crlfLineEnds_sameAsFull() {
    String before = block(10, "10.0.0.13").replace("\n", "\r\n");
    String after = block(10, "10.0.7.13").replace("\n", "\r\n");

    assertEachSameAsFull(before, after);

    assertThat(incremental.stats().incrementalParses()).isEqualTo(1);
  }

  @Test
  void parse_commentsBetweenAndAfterEntries_sameAsFull() {
    String before =
        """
        instances:
          # web tier
          - name: a          # the first
            private_ip: 10.0.0.1
        # at column zero, between items
          - name: b
            private_ip: 10.0.0.2 # trailing
            location: "west # not a comment"

        # the end
        """;
    String after = before.replace("10.0.0.2 # trailing", "10.0.0.22 # trailing, edited");
    String commentOnly = after.replace("# the end", "# the real end");

    assertEachSameAsFull(before, after, commentOnly);

    assertThat(incremental.stats().fullParses()).isEqualTo(1);
    assertThat(incremental.stats().entriesParsed()).isEqualTo(2);
  }

  @Test
  void parse_multiLineValuesThatLookLikeItems_sameAsFull() {
    String before =
        """
        instances:
        - name: a
          private_ip: 10.0.0.1
          location: "west
        - name: not-an-item"
          zone: |
            one
            - two
        - name: b
          private_ip: 10.0.0.2
          tags: {mesh-service: 'web
        - x: y'}
        - name: c
          private_ip: 10.0.0.3
          tags: {
            mesh-service: web,
            mesh-port: '80'
          }
        """;
    String after = before.replace("mesh-port: '80'", "mesh-port: '81'");

    assertEachSameAsFull(before, after);

    assertThat(ParseOutcome.of(incremental, after).instances())
        .extracting(Instance::name)
        .containsExactly("a", "b", "c");
    assertThat(incremental.stats().incrementalParses()).isEqualTo(2);
    assertThat(incremental.stats().entriesParsed()).isEqualTo(1);
  }

  @Test
  void parse_entryEditedIntoInvalidYamlAndBack_sameAsFullEachTime() {
    String good = block(20, "10.0.0.13");
    String colons = good.replace("private_ip: 10.0.0.15\n", "private_ip: 10.0.0.15: :\n");
    String bracket = good.replace("private_ip: 10.0.0.15\n", "private_ip: [10.0.0.15\n");

    assertEachSameAsFull(good, colons, good, bracket, good);

    // Back to good without a full parse: the entries already checked stay usable.
    assertThat(incremental.stats().fullParsesByReason())
        .isEqualTo(
            Map.of(
                FullParseReason.NO_VERIFIED_ENTRIES, 1L,
                FullParseReason.ENTRY_NOT_ONE_INSTANCE, 1L,
                FullParseReason.UNCLOSED_AT_END, 1L));
    assertThat(incremental.stats().incrementalParses()).isEqualTo(2);
  }

  @Test
  void parse_problemInAChangedEntry_isReportedWithItsLineInTheFile() {
    assertEachSameAsFull(block(20, "10.0.0.13"), block(20, "10.0.0.300"));

    assertThat(ParseOutcome.of(incremental, block(20, "10.0.0.300")).problems())
        .containsExactly("inv.yaml:15: private_ip is '10.0.0.300', not an IP address");
  }

  @Test
  void parse_changedEntryDuplicatingAName_isReportedLikeAFullParse() {
    String edited = block(20, "10.0.0.13").replace("name: vm-7\n", "name: vm-2\n");

    assertEachSameAsFull(block(20, "10.0.0.13"), edited);

    assertThat(ParseOutcome.of(incremental, edited).problems())
        .containsExactly("inv.yaml:30: name is 'vm-2', already used on line 10");
    assertThat(incremental.stats().fullParsesByReason())
        .containsEntry(FullParseReason.DUPLICATE_NAME, 2L);
  }

  @Test
  void parse_addedRemovedAndMovedEntries_keepFileOrder() {
    String before = block(20, "10.0.0.13");
    String after =
        before.replace("  - name: vm-5\n", "  - name: vm-new\n")
            + "  - name: vm-last\n    private_ip: 10.0.1.1\n";
    String moved = "instances:\n  - name: first\n    private_ip: 10.0.2.1\n" + after.substring(11);

    assertEachSameAsFull(before, after, moved);

    List<Instance> instances = ParseOutcome.of(incremental, moved).instances();
    assertThat(instances.get(0).name()).isEqualTo("first");
    assertThat(instances.get(instances.size() - 1).name()).isEqualTo("vm-last");
  }

  @Test
  void parse_documentEndAndStartMarkers_sameAsFull() {
    String before = "---\ninstances:\n- name: a\n  private_ip: 10.0.0.1\n...\n# after the end\n";

    assertEachSameAsFull(
        before,
        before.replace("10.0.0.1", "10.0.0.2"),
        before.replace("...\n", "---\nmore: 1\n"),
        before.replace("---\n", "%YAML 1.1\n---\n"));
  }

  @Test
  void parse_headerCommentEdited_parsesWholeOnce() {
    String before = "# v1\n" + block(5, "10.0.0.13");

    assertEachSameAsFull(before, before.replace("# v1", "# v2"));

    assertThat(incremental.stats().fullParsesByReason())
        .containsEntry(FullParseReason.FRAME_CHANGED, 1L);
  }

  @Test
  void parse_shapesOnlyTheFullParseReads_areCountedByReason() {
    assertEachSameAsFull(
        "instances: []\n",
        "{\"instances\": [{\"name\": \"a\", \"private_ip\": \"10.0.0.1\"}]}",
        "instances:\n\t- name: a\n",
        "instances:\n  - name: a\n    private_ip: 10.0.0.1\nother: 1\n",
        "instances:\n  - name: a\r    private_ip: 10.0.0.1\n",
        "instances:\n  - name: 'a\n");

    assertThat(incremental.stats().fullParsesByReason())
        .isEqualTo(
            Map.of(
                FullParseReason.NOT_BLOCK_LIST, 3L,
                FullParseReason.CONTENT_AFTER_LIST, 1L,
                FullParseReason.UNUSUAL_CHARACTER, 1L,
                FullParseReason.UNCLOSED_AT_END, 1L));
  }

  @Test
  void parse_jsonFile_isParsedWhole() {
    IncrementalInventoryParser json =
        new IncrementalInventoryParser("inv.json", InventoryFormat.JSON);
    String text = "{\"instances\": [{\"name\": \"a\", \"private_ip\": \"10.0.0.1\"}]}";

    assertThat(ParseOutcome.of(json, text))
        .isEqualTo(ParseOutcome.of(new InventoryParser("inv.json", InventoryFormat.JSON), text));
    assertThat(json.stats().fullParsesByReason()).containsEntry(FullParseReason.JSON_FILE, 1L);
  }
}
