package io.azmesh.discovery;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One discovered machine: a VM, a scale-set instance or a static inventory entry.
 *
 * @param id stable identity across refreshes (an ARM resource id for Azure, the name for files)
 * @param name display name, unique within one discovery
 * @param privateIp private IP address literal
 * @param publicIp public IP address literal, if one is attached
 * @param location region such as {@code westeurope}, if known
 * @param zone availability zone such as {@code 1}, if any
 * @param powerState current power state
 * @param kind where the instance came from
 * @param tags metadata tags, sorted by key
 */
public record Instance(
    String id,
    String name,
    String privateIp,
    Optional<String> publicIp,
    Optional<String> location,
    Optional<String> zone,
    PowerState powerState,
    InstanceKind kind,
    Map<String, String> tags) {

  public Instance {
    requireText(id, "id");
    requireText(name, "name");
    Objects.requireNonNull(privateIp, "privateIp");
    if (!IpLiterals.isIpLiteral(privateIp)) {
      throw new IllegalArgumentException(
          "privateIp of " + name + " is '" + privateIp + "', not an IP address");
    }
    Objects.requireNonNull(publicIp, "publicIp");
    publicIp.ifPresent(
        ip -> {
          if (!IpLiterals.isIpLiteral(ip)) {
            throw new IllegalArgumentException(
                "publicIp of " + name + " is '" + ip + "', not an IP address");
          }
        });
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(zone, "zone");
    location.ifPresent(v -> requireText(v, "location"));
    zone.ifPresent(v -> requireText(v, "zone"));
    Objects.requireNonNull(powerState, "powerState");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tags, "tags");
    tags.forEach(
        (k, v) -> {
          if (k == null || k.isEmpty()) {
            throw new IllegalArgumentException("tags of " + name + " contain an empty key");
          }
          if (v == null) {
            throw new IllegalArgumentException("tag " + k + " of " + name + " has no value");
          }
        });
    tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }

  /** Starts an instance with the three required values; the rest default to absent/running. */
  public static Builder builder(String id, String name, String privateIp) {
    return new Builder(id, name, privateIp);
  }

  /** A copy of this instance to change a few values. */
  public Builder toBuilder() {
    return new Builder(id, name, privateIp)
        .publicIp(publicIp.orElse(null))
        .location(location.orElse(null))
        .zone(zone.orElse(null))
        .powerState(powerState)
        .kind(kind)
        .tags(tags);
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  /** Builds an {@link Instance}; null means absent for the optional values. */
  public static final class Builder {
    private final String id;
    private final String name;
    private final String privateIp;
    private String publicIp;
    private String location;
    private String zone;
    private PowerState powerState = PowerState.RUNNING;
    private InstanceKind kind = InstanceKind.STATIC;
    private Map<String, String> tags = Map.of();

    private Builder(String id, String name, String privateIp) {
      this.id = id;
      this.name = name;
      this.privateIp = privateIp;
    }

    public Builder publicIp(String publicIp) {
      this.publicIp = publicIp;
      return this;
    }

    public Builder location(String location) {
      this.location = location;
      return this;
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder powerState(PowerState powerState) {
      this.powerState = powerState;
      return this;
    }

    public Builder kind(InstanceKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      this.tags = tags;
      return this;
    }

    public Instance build() {
      return new Instance(
          id,
          name,
          privateIp,
          Optional.ofNullable(publicIp),
          Optional.ofNullable(location),
          Optional.ofNullable(zone),
          powerState,
          kind,
          tags);
    }
  }
}
