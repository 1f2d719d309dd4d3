package io.azmesh.discovery.azure.events;

import io.azmesh.discovery.azure.ListingScope;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An event subject that names a VM, a scale set or a scale-set VM: {@code
 * /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{vm}}, {@code
 * .../virtualMachineScaleSets/{set}} or {@code
 * .../virtualMachineScaleSets/{set}/virtualMachines/{n}}.
 *
 * @param key the resource id in lower case (ARM ids compare ignoring case)
 * @param kind which of the three it is
 * @param subscription the subscription id
 * @param resourceGroup the resource group name
 */
record ComputeSubject(String key, Kind kind, String subscription, String resourceGroup) {

  /** What the subject is. */
  enum Kind {
    VIRTUAL_MACHINE,
    SCALE_SET,
    SCALE_SET_VM
  }

  ComputeSubject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
  }

  /** The subject as a compute resource, or empty for anything else (a NIC, a deployment...). */
  static Optional<ComputeSubject> parse(String subject) {
    String[] p = subject.split("/");
    // "", subscriptions, s, resourceGroups, g, providers, Microsoft.Compute, type, name[, vms, n]
    if (p.length != 9 && p.length != 11) {
      return Optional.empty();
    }
    if (!p[0].isEmpty()
        || !p[1].equalsIgnoreCase("subscriptions")
        || !p[3].equalsIgnoreCase("resourceGroups")
        || !p[5].equalsIgnoreCase("providers")
        || !p[6].equalsIgnoreCase("Microsoft.Compute")) {
      return Optional.empty();
    }
    for (int i = 1; i < p.length; i++) {
      if (p[i].isEmpty()) {
        return Optional.empty();
      }
    }
    Kind kind;
    if (p.length == 9 && p[7].equalsIgnoreCase("virtualMachines")) {
      kind = Kind.VIRTUAL_MACHINE;
    } else if (p.length == 9 && p[7].equalsIgnoreCase("virtualMachineScaleSets")) {
      kind = Kind.SCALE_SET;
    } else if (p.length == 11
        && p[7].equalsIgnoreCase("virtualMachineScaleSets")
        && p[9].equalsIgnoreCase("virtualMachines")) {
      kind = Kind.SCALE_SET_VM;
    } else {
      return Optional.empty();
    }
    return Optional.of(new ComputeSubject(subject.toLowerCase(Locale.ROOT), kind, p[2], p[4]));
  }

  /** Whether the subject lies in {@code scope}: its subscription, and its group when it has one. */
  boolean within(ListingScope scope) {
    return scope.subscription().equalsIgnoreCase(subscription)
        && scope.resourceGroup().map(g -> g.equalsIgnoreCase(resourceGroup)).orElse(true);
  }

  /**
   * Whether a change to the instance with ARM id {@code instanceKey} (lower case) is what this
   * subject announces: the VM itself, or any instance of the scale set.
   */
  boolean announces(String instanceKey) {
    return kind == Kind.SCALE_SET
        ? instanceKey.startsWith(key + "/virtualmachines/")
        : instanceKey.equals(key);
  }
}
