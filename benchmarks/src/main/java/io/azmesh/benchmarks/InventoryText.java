package io.azmesh.benchmarks;

import io.azmesh.discovery.Instance;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An inventory file's text in the styles of docs/inventory.md, about 190 bytes a VM. */
final class InventoryText {
  private InventoryText() {}

  /** Block entries with flow tags, no comments. */
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

  /** The inventory written in {@code style}. */
  static String yaml(List<Instance> instances, InventoryStyle style) {
    StringBuilder text = new StringBuilder(instances.size() * 220);
    if (style == InventoryStyle.COMMENTED) {
      text.append("# Fleet inventory for the file provider; format: docs/inventory.md.\n");
    }
    text.append("instances:\n");
    for (int n = 0; n < instances.size(); n++) {
      Instance i = instances.get(n);
      if (style == InventoryStyle.COMMENTED && n % 100 == 0) {
        text.append("  # instances ").append(n).append(" and on\n");
      }
      if (style == InventoryStyle.FLOW) {
        text.append("  - {name: ").append(i.name()).append(", private_ip: ").append(i.privateIp());
        i.publicIp().ifPresent(ip -> text.append(", public_ip: ").append(ip));
        i.location().ifPresent(l -> text.append(", location: ").append(l));
        i.zone().ifPresent(z -> text.append(", zone: \"").append(z).append('"'));
        text.append(", power_state: ").append(i.powerState().code());
        text.append(", tags: {").append(tags(i.tags())).append("}}\n");
        continue;
      }
      text.append("  - name: ").append(i.name());
      text.append(style == InventoryStyle.COMMENTED ? "   # " + i.powerState().code() : "");
      text.append("\n    private_ip: ").append(i.privateIp()).append('\n');
      i.publicIp().ifPresent(ip -> text.append("    public_ip: ").append(ip).append('\n'));
      i.location().ifPresent(l -> text.append("    location: ").append(l).append('\n'));
      i.zone().ifPresent(z -> text.append("    zone: \"").append(z).append("\"\n"));
      text.append("    power_state: ").append(i.powerState().code()).append('\n');
      if (style == InventoryStyle.BLOCK) {
        text.append("    tags:\n");
        i.tags()
            .forEach(
                (k, v) -> text.append("      ").append(k).append(": \"").append(v).append("\"\n"));
      } else {
        text.append("    tags: {").append(tags(i.tags())).append("}\n");
      }
    }
    return text.toString();
  }
}
