package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryParserTest {
  private final InventoryParser yaml = new InventoryParser("inv.yaml", InventoryFormat.YAML);
  private final InventoryParser json = new InventoryParser("inv.json", InventoryFormat.JSON);

  @Test
  void parse_readsEveryFieldOfTheDocumentedShape() throws Exception {
    List<Instance> instances =
        yaml.parse(
            """
            instances:
              - name: web-0
                private_ip: 10.0.0.4
                public_ip: 20.1.2.3
                location: westeurope
                zone: "1"
                power_state: running
                tags: {mesh-service: web, mesh-port: "8080"}
            """);

    assertThat(instances)
        .containsExactly(
            Instance.builder("web-0", "web-0", "10.0.0.4")
                .publicIp("20.1.2.3")
                .location("westeurope")
                .zone("1")
                .powerState(PowerState.RUNNING)
                .kind(InstanceKind.STATIC)
                .tags(Map.of("mesh-service", "web", "mesh-port", "8080"))
                .build());
  }

  @Test
  void parse_defaultsOptionalFields() throws Exception {
    List<Instance> instances = yaml.parse("instances:\n  - name: a\n    private_ip: 10.0.0.4\n");

    assertThat(instances.get(0)).isEqualTo(Instance.builder("a", "a", "10.0.0.4").build());
  }

  @Test
  void parse_acceptsUnquotedNumbersAsText() throws Exception {
    List<Instance> instances =
        yaml.parse(
            "instances:\n  - name: a\n    private_ip: 10.0.0.4\n    zone: 2\n"
                + "    tags:\n      mesh-port: 8080\n");

    assertThat(instances.get(0).zone()).contains("2");
    assertThat(instances.get(0).tags()).containsEntry("mesh-port", "8080");
  }

  @Test
  void parse_treatsNullOptionalValuesAsAbsent() throws Exception {
    List<Instance> instances =
        json.parse(
            """
            {"instances": [{"name": "a", "private_ip": "10.0.0.4", "public_ip": null,
                            "zone": null, "tags": null}]}
            """);

    assertThat(instances.get(0)).isEqualTo(Instance.builder("a", "a", "10.0.0.4").build());
  }

  @Test
  void parse_readsJson() throws Exception {
    List<Instance> instances =
        json.parse(
            """
            {"instances": [
              {"name": "api-0", "private_ip": "10.0.1.4", "power_state": "deallocated",
               "tags": {"mesh-service": "api"}}
            ]}
            """);

    assertThat(instances.get(0).powerState()).isEqualTo(PowerState.DEALLOCATED);
    assertThat(instances.get(0).tags()).containsEntry("mesh-service", "api");
  }

  @Test
  void parse_acceptsAnEmptyList() throws Exception {
    assertThat(yaml.parse("instances: []\n")).isEmpty();
  }

  @Test
  void parse_yamlBeyondSnakeYamlsDefaultLimit_isRead() throws Exception {
    // 22,000 instances, about 3.4 million characters: SnakeYAML's default limit is 3 Mi.
    StringBuilder text = new StringBuilder("instances:\n");
    for (int i = 0; i < 22_000; i++) {
      text.append("  - name: vm-").append(i).append("\n    private_ip: 10.0.");
      text.append(i >> 8).append('.').append(i & 255).append("\n    location: westeurope\n");
      text.append("    tags: {mesh-service: svc-").append(i % 500).append(", env: prod}\n");
      text.append("    zone: \"1\"\n    power_state: running\n");
    }
    assertThat(text.length()).isGreaterThan(3 * 1024 * 1024);

    assertThat(yaml.parse(text.toString())).hasSize(22_000);
  }

  @Test
  void badYaml_namesTheLineAndItsText() {
    assertThat(messages(yaml, "instances:\n  - name: a\n    private_ip: 10.0.0.4\n   bad: [\n"))
        .containsExactly(
            "inv.yaml:4: line is 'bad: [', not valid YAML: while parsing a block collection:"
                + " expected <block end>, but found '<block mapping start>'");
  }

  @Test
  void badJson_namesTheLineAndItsText() {
    assertThat(messages(json, "{\"instances\": [\n  {\"name\": \"a\",,}\n]}\n"))
        .containsExactly(
            "inv.json:2: line is '{\"name\": \"a\",,}', not valid JSON: Unexpected character"
                + " (',' (code 44)): was expecting double-quote to start field name");
  }

  @Test
  void unknownField_isNamedWithTheKnownOnes() {
    assertThat(
            messages(
                yaml,
                "instances:\n  - name: a\n    private_ip: 10.0.0.4\n    privat_ip: 10.0.0.5\n"))
        .containsExactly(
            "inv.yaml:4: field is 'privat_ip', not an instance field; known: name, private_ip,"
                + " public_ip, location, zone, power_state, tags");
  }

  @Test
  void unknownTopLevelField_isNamed() {
    assertThat(messages(yaml, "instances: []\nservices: []\n"))
        .containsExactly(
            "inv.yaml:2: top-level field is 'services', not known; the only one is 'instances'");
  }

  @Test
  void invalidPrivateIp_namesTheLineAndValue() {
    assertThat(messages(yaml, "instances:\n  - name: a\n    private_ip: 10.0.0.300\n"))
        .containsExactly("inv.yaml:3: private_ip is '10.0.0.300', not an IP address");
  }

  @Test
  void invalidPublicIp_namesTheLineAndValue() {
    assertThat(
            messages(
                yaml,
                "instances:\n  - name: a\n    private_ip: 10.0.0.4\n    public_ip: my-host\n"))
        .containsExactly("inv.yaml:4: public_ip is 'my-host', not an IP address");
  }

  @Test
  void duplicateName_pointsAtTheFirstUse() {
    assertThat(
            messages(
                yaml,
                """
                instances:
                  - name: web-0
                    private_ip: 10.0.0.4
                  - name: web-0
                    private_ip: 10.0.0.5
                """))
        .containsExactly("inv.yaml:4: name is 'web-0', already used on line 2");
  }

  @Test
  void badPowerState_listsTheAcceptedCodes() {
    assertThat(
            messages(
                yaml, "instances:\n  - name: a\n    private_ip: 10.0.0.4\n    power_state: on\n"))
        .containsExactly(
            "inv.yaml:4: power_state is 'on', not one of running, starting, stopping, stopped,"
                + " deallocating, deallocated, unknown");
  }

  @Test
  void missingRequiredFields_pointAtTheEntry() {
    assertThat(messages(yaml, "instances:\n  - zone: \"1\"\n"))
        .containsExactly(
            "inv.yaml:2: name is missing, every instance needs a name",
            "inv.yaml:2: private_ip is missing, every instance needs a private IP");
  }

  @Test
  void fieldGivenTwice_isReported() {
    assertThat(
            messages(
                yaml,
                "instances:\n  - name: a\n    private_ip: 10.0.0.4\n    private_ip: 10.0.0.5\n"))
        .containsExactly(
            "inv.yaml:4: field is 'private_ip', given twice in one instance (first on line 3)");
  }

  @Test
  void tagWithoutValue_isReported() {
    assertThat(
            messages(
                yaml,
                "instances:\n  - name: a\n    private_ip: 10.0.0.4\n    tags:\n      mesh-port:\n"))
        .containsExactly("inv.yaml:5: tag mesh-port is missing, a tag needs a value");
  }

  @Test
  void nonScalarValue_isReportedWithItsLine() {
    assertThat(messages(yaml, "instances:\n  - name: a\n    private_ip: [10.0.0.4, 10.0.0.5]\n"))
        .containsExactly(
            "inv.yaml:3: private_ip is 'private_ip: [10.0.0.4, 10.0.0.5]', not a single value");
  }

  @Test
  void instancesNotAList_isReported() {
    assertThat(messages(yaml, "instances: web-0\n"))
        .containsExactly("inv.yaml:1: instances is 'web-0', not a list");
  }

  @Test
  void emptyFile_isReported() {
    assertThat(messages(yaml, ""))
        .containsExactly(
            "inv.yaml:1: instances is missing, the file is empty; write 'instances: []'");
  }

  @Test
  void missingInstances_isReported() {
    assertThat(messages(json, "{}"))
        .containsExactly(
            "inv.json:1: instances is missing, the inventory needs an 'instances' list");
  }

  @Test
  void everyBadEntry_isReportedNotOnlyTheFirst() {
    InvalidInventoryException e =
        catchThrowableOfType(
            InvalidInventoryException.class,
            () ->
                yaml.parse(
                    """
                    instances:
                      - name: a
                        private_ip: 10.0.0.300
                      - name: b
                        private_ip: 10.0.0.5
                      - name: c
                        private_ip: 10.0.0.6
                        power_state: off
                    """));

    assertThat(e.causeLabel()).isEqualTo("parse");
    assertThat(e)
        .hasMessage(
            "2 problems in inv.yaml: inv.yaml:3: private_ip is '10.0.0.300', not an IP address;"
                + " inv.yaml:8: power_state is 'off', not one of running, starting, stopping,"
                + " stopped, deallocating, deallocated, unknown");
  }

  private static List<String> messages(InventoryParser parser, String text) {
    InvalidInventoryException e =
        catchThrowableOfType(InvalidInventoryException.class, () -> parser.parse(text));
    assertThat(e).as("parse of %s fails", text).isNotNull();
    return e.problems().stream().map(Problem::message).toList();
  }
}
