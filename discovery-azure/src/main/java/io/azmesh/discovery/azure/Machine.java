package io.azmesh.discovery.azure;

import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A VM or scale-set instance as listed, before its network interfaces are joined in.
 *
 * @param id ARM resource id
 * @param name ARM name
 * @param location region, if listed
 * @param zone the first availability zone, if any
 * @param tags the tags that drive the mesh (a uniform scale set's for its instances)
 * @param powerState from the instance view
 * @param kind VM (standalone or flexible scale set) or uniform scale-set instance
 * @param nics the network interfaces the machine's network profile lists
 */
record Machine(
    String id,
    String name,
    Optional<String> location,
    Optional<String> zone,
    Map<String, String> tags,
    PowerState powerState,
    InstanceKind kind,
    List<NicRef> nics) {

  Machine {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(powerState, "powerState");
    Objects.requireNonNull(kind, "kind");
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    nics = List.copyOf(nics);
  }

  /** A network interface reference from a network profile; {@code primary} may be unset. */
  record NicRef(String id, Optional<Boolean> primary) {
    NicRef {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(primary, "primary");
    }
  }

  static List<NicRef> nicRefs(NetworkProfile profile) {
    if (profile == null || profile.networkInterfaces() == null) {
      return List.of();
    }
    return profile.networkInterfaces().stream()
        .filter(ref -> ref.id() != null)
        .map(ref -> new NicRef(ref.id(), Optional.ofNullable(ref.primary())))
        .toList();
  }

  static Optional<String> firstZone(List<String> zones) {
    return zones == null ? Optional.empty() : zones.stream().filter(z -> !z.isBlank()).findFirst();
  }

  /** The {@code PowerState/...} code of an instance view's statuses, if it has one. */
  static Optional<String> powerStateCode(List<InstanceViewStatus> statuses) {
    if (statuses == null) {
      return Optional.empty();
    }
    return statuses.stream()
        .map(InstanceViewStatus::code)
        .filter(code -> code != null && code.regionMatches(true, 0, "PowerState/", 0, 11))
        .findFirst();
  }
}
