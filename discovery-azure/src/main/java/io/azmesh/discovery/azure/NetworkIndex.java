package io.azmesh.discovery.azure;

import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.IpLiterals;
import io.azmesh.discovery.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network interfaces and public IPs of one scope's listings (and of the other resource groups
 * its machines' NICs and public IPs live in), indexed by id, and the join of a {@link Machine} to
 * its primary private and public address. A machine whose address cannot be found becomes a {@link
 * Problem}, never a failure of the whole discovery.
 */
final class NetworkIndex {
  private final Map<String, NetworkInterfaceInner> nicsById = new HashMap<>();
  private final Map<String, List<NetworkInterfaceInner>> nicsByMachine = new HashMap<>();
  private final Map<String, String> publicAddressById = new HashMap<>();
  // Resource groups (by key) whose listing ARM refused, with the read permission that was missing.
  private final Map<String, String> refusedGroups = new HashMap<>();

  NetworkIndex(Iterable<NetworkInterfaceInner> nics) {
    addNics(nics);
  }

  void addNics(Iterable<NetworkInterfaceInner> nics) {
    for (NetworkInterfaceInner nic : nics) {
      if (nic.id() == null) {
        continue;
      }
      nicsById.put(ArmResourceId.key(nic.id()), nic);
      if (nic.virtualMachine() != null && nic.virtualMachine().id() != null) {
        nicsByMachine
            .computeIfAbsent(ArmResourceId.key(nic.virtualMachine().id()), k -> new ArrayList<>())
            .add(nic);
      }
    }
  }

  /** Adds public IPs; unallocated ones (no address yet) are skipped. */
  void addPublicIps(Iterable<PublicIpAddressInner> publicIps) {
    for (PublicIpAddressInner publicIp : publicIps) {
      if (publicIp.id() != null && publicIp.ipAddress() != null) {
        publicAddressById.put(ArmResourceId.key(publicIp.id()), publicIp.ipAddress());
      }
    }
  }

  /** ARM refused to list {@code resource} in {@code group}: the machines that need it say so. */
  void refused(String group, String permission) {
    refusedGroups.put(groupKey(group), permission);
  }

  /**
   * The resource groups (other than the scope's own, in the scope's subscription) that hold a
   * primary NIC of these machines that is not indexed yet: a NIC may live in another group than its
   * VM. Each is listed once, however many machines use it.
   */
  Collection<String> nicGroupsToList(List<Machine> machines, ListingScope scope) {
    Map<String, String> groups = new LinkedHashMap<>();
    for (Machine machine : machines) {
      primaryRef(machine)
          .filter(ref -> !nicsById.containsKey(ArmResourceId.key(ref.id())))
          .flatMap(ref -> ArmResourceId.tryParse(ref.id()))
          .filter(id -> isOtherGroupOf(id, scope))
          .ifPresent(id -> groups.putIfAbsent(groupKey(id.resourceGroup()), id.resourceGroup()));
    }
    return groups.values();
  }

  /**
   * The resource groups that hold a public IP of these machines' primary IP configurations that is
   * not indexed yet; empty when none has one, so the listing is skipped.
   */
  Collection<String> publicIpGroupsToList(List<Machine> machines, ListingScope scope) {
    Map<String, String> groups = new LinkedHashMap<>();
    for (Machine machine : machines) {
      primaryNic(machine)
          .flatMap(NetworkIndex::primaryIpConfiguration)
          .map(NetworkInterfaceIpConfigurationInner::publicIpAddress)
          .filter(ref -> ref.ipAddress() == null && ref.id() != null)
          .filter(ref -> !publicAddressById.containsKey(ArmResourceId.key(ref.id())))
          .flatMap(ref -> ArmResourceId.tryParse(ref.id()))
          .filter(id -> id.subscription().equalsIgnoreCase(scope.subscription()))
          .ifPresent(id -> groups.putIfAbsent(groupKey(id.resourceGroup()), id.resourceGroup()));
    }
    return groups.values();
  }

  private static boolean isOtherGroupOf(ArmResourceId id, ListingScope scope) {
    return id.subscription().equalsIgnoreCase(scope.subscription())
        && scope.resourceGroup().map(g -> !g.equalsIgnoreCase(id.resourceGroup())).orElse(false);
  }

  /** The instance, or empty with a problem added when its private address cannot be found. */
  Optional<Instance> resolve(Machine machine, List<Problem> problems) {
    Optional<NetworkInterfaceInner> nic = primaryNic(machine, problems);
    if (nic.isEmpty()) {
      return Optional.empty();
    }
    Optional<NetworkInterfaceIpConfigurationInner> config = primaryIpConfiguration(nic.get());
    if (config.isEmpty()) {
      problems.add(
          Problem.missing(
              machine.name(),
              "private IP",
              "network interface " + nic.get().name() + " has no IP configuration"));
      return Optional.empty();
    }
    String privateIp = config.get().privateIpAddress();
    if (privateIp == null || privateIp.isBlank()) {
      problems.add(
          Problem.missing(
              machine.name(),
              "private IP",
              "IP configuration " + config.get().name() + " of " + nic.get().name() + " has none"));
      return Optional.empty();
    }
    if (!IpLiterals.isIpLiteral(privateIp)) {
      problems.add(Problem.of(machine.name(), "private IP", privateIp, "not an IP address"));
      return Optional.empty();
    }
    return Optional.of(
        // ARM ids compare ignoring case and ARM does not keep their case stable: one spelling.
        Instance.builder(ArmResourceId.key(machine.id()), machine.name(), privateIp)
            .publicIp(publicAddress(machine, config.get(), problems).orElse(null))
            .location(machine.location().orElse(null))
            .zone(machine.zone().orElse(null))
            .powerState(machine.powerState())
            .kind(machine.kind())
            .tags(machine.tags())
            .build());
  }

  private static Optional<NetworkInterfaceIpConfigurationInner> primaryIpConfiguration(
      NetworkInterfaceInner nic) {
    List<NetworkInterfaceIpConfigurationInner> configs = ipConfigurations(nic);
    return configs.stream()
        .filter(c -> Boolean.TRUE.equals(c.primary()))
        .findFirst()
        .or(() -> configs.stream().findFirst());
  }

  /** The network profile's primary NIC reference (or its first), if it lists any. */
  private static Optional<Machine.NicRef> primaryRef(Machine machine) {
    return machine.nics().stream()
        .filter(r -> r.primary().orElse(false))
        .findFirst()
        .or(() -> machine.nics().stream().findFirst());
  }

  private Optional<NetworkInterfaceInner> primaryNic(Machine machine) {
    return primaryNic(machine, new ArrayList<>());
  }

  private Optional<NetworkInterfaceInner> primaryNic(Machine machine, List<Problem> problems) {
    if (machine.nics().isEmpty()) {
      // Some listings omit the network profile; the NIC's back-reference still names the machine.
      List<NetworkInterfaceInner> attached =
          nicsByMachine.getOrDefault(ArmResourceId.key(machine.id()), List.of());
      Optional<NetworkInterfaceInner> nic =
          attached.stream()
              .filter(n -> Boolean.TRUE.equals(n.primary()))
              .findFirst()
              .or(() -> attached.stream().findFirst());
      if (nic.isEmpty()) {
        problems.add(
            Problem.missing(machine.name(), "network interface", "the machine has none attached"));
      }
      return nic;
    }
    Machine.NicRef ref = primaryRef(machine).orElseThrow();
    NetworkInterfaceInner nic = nicsById.get(ArmResourceId.key(ref.id()));
    if (nic == null) {
      problems.add(
          Problem.of(
              machine.name(),
              "network interface",
              ArmResourceId.key(ref.id()),
              refusal(ref.id())
                  .orElse(
                      "not in the network interface listing (created or deleted during the"
                          + " refresh?)")));
      return Optional.empty();
    }
    return Optional.of(nic);
  }

  private Optional<String> publicAddress(
      Machine machine, NetworkInterfaceIpConfigurationInner config, List<Problem> problems) {
    PublicIpAddressInner reference = config.publicIpAddress();
    if (reference == null) {
      return Optional.empty();
    }
    Optional<String> address =
        Optional.ofNullable(reference.ipAddress())
            .or(
                () ->
                    Optional.ofNullable(reference.id())
                        .map(id -> publicAddressById.get(ArmResourceId.key(id))));
    if (address.isEmpty() && reference.id() != null) {
      refusal(reference.id())
          .ifPresent(
              reason ->
                  problems.add(
                      Problem.of(
                          machine.name(),
                          "public IP",
                          ArmResourceId.key(reference.id()),
                          reason + "; served without a public IP")));
    }
    return address.filter(IpLiterals::isIpLiteral);
  }

  /** Why a resource could not be read, when ARM refused to list its resource group. */
  private Optional<String> refusal(String resourceId) {
    return ArmResourceId.tryParse(resourceId)
        .flatMap(
            id ->
                Optional.ofNullable(refusedGroups.get(groupKey(id.resourceGroup())))
                    .map(
                        permission ->
                            "in resource group "
                                + id.resourceGroup().toLowerCase(java.util.Locale.ROOT)
                                + ", which the identity may not read: it needs "
                                + permission
                                + " there (the Reader role on the group)"));
  }

  private static String groupKey(String group) {
    return ArmResourceId.key(group);
  }

  private static List<NetworkInterfaceIpConfigurationInner> ipConfigurations(
      NetworkInterfaceInner nic) {
    return nic.ipConfigurations() == null ? List.of() : nic.ipConfigurations();
  }
}
