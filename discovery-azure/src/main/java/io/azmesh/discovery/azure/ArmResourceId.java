package io.azmesh.discovery.azure;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of an ARM resource id the provider needs: {@code
 * /subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/...}.
 */
record ArmResourceId(String id, String subscription, String resourceGroup) {

  ArmResourceId {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
  }

  /** Parses an id; fails naming it when it has no subscription or resource group. */
  static ArmResourceId parse(String id) {
    if (id == null) {
      throw new IllegalArgumentException("ARM resource id is missing");
    }
    String[] parts = id.split("/");
    // "", "subscriptions", sub, "resourceGroups", rg, ...
    if (parts.length < 5
        || !parts[1].equalsIgnoreCase("subscriptions")
        || !parts[3].equalsIgnoreCase("resourceGroups")
        || parts[2].isEmpty()
        || parts[4].isEmpty()) {
      throw new IllegalArgumentException(
          "ARM resource id '" + id + "' has no /subscriptions/{id}/resourceGroups/{name} prefix");
    }
    return new ArmResourceId(id, parts[2], parts[4]);
  }

  /** The parsed id, or empty when it is not a resource-group-scoped ARM id. */
  static Optional<ArmResourceId> tryParse(String id) {
    try {
      return Optional.of(parse(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** ARM ids compare ignoring case; this is the key for joins. */
  static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }
}
