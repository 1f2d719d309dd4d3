package io.azmesh.benchmarks.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A synthetic inventory in the file provider's format (docs/inventory.md): instances spread at
 * random over services and three zones, one in fifty stopped, one in ten weighted, one in twenty
 * with a port tag, and the tags an operator would add. It makes single-endpoint changes and writes
 * the file the way an editor or a config-map mount does: a temporary file renamed over it.
 */
final class SyntheticFleet {
  private final Path file;
  private final boolean json;
  private final InventoryShape shape;
  private final Random random;
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private int nextIndex;
  private int nextFreshAddress;

  /** One instance of the inventory; mutable because the fleet changes it in place. */
  private static final class Vm {
    final String name;
    final String service;
    final String zone;
    final Map<String, String> tags;
    boolean running;
    String ip;

    Vm(String name, String service, String zone, boolean running, Map<String, String> tags) {
      this.name = name;
      this.service = service;
      this.zone = zone;
      this.running = running;
      this.tags = tags;
    }
  }

  SyntheticFleet(Path file, int instances, int services, InventoryShape shape, long seed) {
    this.file = file;
    this.shape = shape;
    this.json = file.getFileName().toString().endsWith(".json");
    this.random = new Random(seed);
    for (int i = 0; i < instances; i++) {
      add("svc-" + random.nextInt(services), i);
    }
  }

  private Vm add(String service, int index) {
    Map<String, String> tags = new TreeMap<>();
    tags.put("mesh-service", service);
    if (random.nextInt(10) == 0) {
      tags.put("mesh-weight", Integer.toString(1 + random.nextInt(128)));
    }
    if (random.nextInt(20) == 0) {
      tags.put("mesh-port", "8080");
    }
    tags.put("env", "prod");
    tags.put("owner", "team-" + random.nextInt(20));
    Vm vm =
        new Vm(
            "vm-" + index,
            service,
            Integer.toString(1 + random.nextInt(3)),
            random.nextInt(50) != 0,
            tags);
    vm.ip = "10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + "." + (index & 255);
    vms.put(vm.name, vm);
    nextIndex = Math.max(nextIndex, index + 1);
    return vm;
  }

  /** An address no instance has had before: 10.200.0.0/16 upwards. */
  private String freshAddress() {
    int n = nextFreshAddress++;
    return "10." + (200 + (n >> 16 & 31)) + "." + (n >> 8 & 255) + "." + (n & 255);
  }

  /**
   * Picks the next change of this kind in a service with at least three serving instances (so a
   * removal never empties a service nor trips the mass-removal guard), and a serving address of
   * that service as it is before the change, to find its ClusterLoadAssignment by content.
   */
  Planned plan(EndpointChange.Kind kind) {
    Map<String, List<Vm>> byService = new TreeMap<>();
    for (Vm vm : vms.values()) {
      if (vm.running) {
        byService.computeIfAbsent(vm.service, s -> new ArrayList<>()).add(vm);
      }
    }
    List<List<Vm>> candidates = byService.values().stream().filter(l -> l.size() >= 3).toList();
    if (candidates.isEmpty()) {
      throw new IllegalStateException("no service has three serving instances left");
    }
    List<Vm> members = candidates.get(random.nextInt(candidates.size()));
    Vm victim = members.get(random.nextInt(members.size()));
    return new Planned(kind, victim.name, victim.service, victim.ip);
  }

  /** A change chosen but not applied yet; {@code knownAddress} serves in its service now. */
  record Planned(EndpointChange.Kind kind, String instance, String service, String knownAddress) {}

  /** Applies a planned change to the fleet (not yet to the file). */
  EndpointChange apply(Planned planned) {
    Vm vm = vms.get(planned.instance());
    return switch (planned.kind()) {
      case IP_CHANGE -> {
        String old = vm.ip;
        vm.ip = freshAddress();
        yield new EndpointChange(
            planned.kind(), vm.service, vm.name, Optional.of(vm.ip), Optional.of(old));
      }
      case ADD -> {
        Vm added = add(vm.service, nextIndex);
        added.ip = freshAddress();
        // Running whatever add() drew, or adding it would change no endpoint.
        added.running = true;
        yield new EndpointChange(
            planned.kind(), vm.service, added.name, Optional.of(added.ip), Optional.empty());
      }
      case REMOVE -> {
        vms.remove(vm.name);
        yield new EndpointChange(
            planned.kind(), vm.service, vm.name, Optional.empty(), Optional.of(vm.ip));
      }
    };
  }

  /** The number of instances in the inventory. */
  int size() {
    return vms.size();
  }

  /**
   * Writes the inventory next to the file and renames it over it, so the server never reads half a
   * file. Returns {@link System#nanoTime()} right after the rename: where latency starts.
   */
  long write() {
    byte[] content = render().getBytes(StandardCharsets.UTF_8);
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.write(temporary, content);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return System.nanoTime();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the inventory " + file, e);
    }
  }

  /** Size of the inventory as last rendered, in bytes. */
  long fileSize() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String tags(Vm vm) {
    StringBuilder out = new StringBuilder("tags:");
    boolean flow = shape.tags() == InventoryShape.Tags.FLOW;
    out.append(flow ? " {" : "");
    String separator = "";
    for (Map.Entry<String, String> tag : vm.tags.entrySet()) {
      out.append(flow ? separator : "\n      ").append(tag.getKey()).append(": \"");
      out.append(tag.getValue()).append('"');
      separator = ", ";
    }
    return out.append(flow ? "}" : "").toString();
  }

  private String render() {
    StringBuilder out = new StringBuilder(vms.size() * 200);
    if (json) {
      out.append("{\"instances\": [\n");
      String separator = "";
      for (Vm vm : vms.values()) {
        out.append(separator).append("  {\"name\": \"").append(vm.name).append('"');
        out.append(", \"private_ip\": \"").append(vm.ip).append('"');
        out.append(", \"location\": \"westeurope\", \"zone\": \"").append(vm.zone).append('"');
        out.append(", \"power_state\": \"").append(vm.running ? "running" : "stopped").append('"');
        out.append(", \"tags\": {");
        String tagSeparator = "";
        for (Map.Entry<String, String> tag : vm.tags.entrySet()) {
          out.append(tagSeparator).append('"').append(tag.getKey()).append("\": \"");
          out.append(tag.getValue()).append('"');
          tagSeparator = ", ";
        }
        out.append("}}");
        separator = ",\n";
      }
      return out.append("\n]}\n").toString();
    }
    if (shape.header() == InventoryShape.Header.COMMENT) {
      out.append("# Synthetic fleet inventory; format: docs/inventory.md.\n");
    }
    out.append("instances:\n");
    for (Vm vm : vms.values()) {
      List<String> fields = new ArrayList<>(6);
      fields.add("name: " + vm.name);
      fields.add("private_ip: " + vm.ip);
      fields.add("location: westeurope");
      fields.add("zone: \"" + vm.zone + "\"");
      fields.add("power_state: " + (vm.running ? "running" : "stopped"));
      fields.add(tags(vm));
      if (shape.keyOrder() == InventoryShape.KeyOrder.SHUFFLED) {
        // The entry's own order, the same on every write: only the edited entry's text changes.
        Collections.shuffle(fields, new Random(vm.name.hashCode()));
      }
      out.append("  - ").append(String.join("\n    ", fields)).append('\n');
    }
    return out.toString();
  }
}
