package io.azmesh.benchmarks;

import io.azmesh.discovery.Instance;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An inventory file's text in the block style of docs/inventory.md, about 190 bytes a VM. */
final class InventoryText {
  private InventoryText() {}

  static String yaml(List<Instance> instances) {
    StringBuilder text = new StringBuilder(instances.size() * 200).append("instances:\n");
    for (Instance i : instances) {
      text.append("  - name: ").append(i.name()).append('\n');
      text.append("    private_ip: ").append(i.privateIp()).append('\n');
      i.publicIp().ifPresent(ip -> text.append("    public_ip: ").append(ip).append('\n'));
      i.location().ifPresent(l -> text.append("    location: ").append(l).append('\n'));
      i.zone().ifPresent(z -> text.append("    zone: \"").append(z).append("\"\n"));
      text.append("    power_state: ").append(i.powerState().code()).append('\n');
      text.append("    tags: {").append(tags(i.tags())).append("}\n");
    }
    return text.toString();
  }

  private static String tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
        .collect(Collectors.joining(", "));
  }
}
