package io.azmesh.xds.translator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads an inventory in the file provider's format into instances, for golden tests. */
final class InventoryFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private InventoryFile() {}

  record Entry(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "private_ip", required = true) String privateIp,
      @JsonProperty("public_ip") String publicIp,
      @JsonProperty("location") String location,
      @JsonProperty("zone") String zone,
      @JsonProperty("power_state") String powerState,
      @JsonProperty("tags") Map<String, String> tags) {}

  record Inventory(@JsonProperty("instances") List<Entry> instances) {}

  static List<Instance> read(Path file) throws IOException {
    Inventory inventory = YAML.readValue(file.toFile(), Inventory.class);
    return inventory.instances().stream().map(InventoryFile::instance).toList();
  }

  private static Instance instance(Entry e) {
    PowerState state =
        e.powerState() == null
            ? PowerState.RUNNING
            : PowerState.fromCode(e.powerState())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "power_state of " + e.name() + " is " + e.powerState()));
    return Instance.builder(e.name(), e.name(), e.privateIp())
        .publicIp(e.publicIp())
        .location(e.location())
        .zone(e.zone())
        .powerState(state)
        .tags(e.tags() == null ? Map.of() : e.tags())
        .build();
  }
}
