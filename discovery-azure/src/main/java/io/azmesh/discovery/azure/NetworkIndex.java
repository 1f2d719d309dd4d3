package io.azmesh.discovery.azure;

import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.IpLiterals;
import io.azmesh.discovery.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network interfaces and public IPs of one listing, indexed by id, and the join of a {@link
 * Machine} to its primary private and public address. A machine whose address cannot be found
 * becomes a {@link Problem}, never a failure of the whole discovery.
 */
final class NetworkIndex {
  private final Map<String, NetworkInterfaceInner> nicsById = new HashMap<>();
  private final Map<String, List<NetworkInterfaceInner>> nicsByMachine = new HashMap<>();
  private final Map<String, String> publicAddressById = new HashMap<>();

  NetworkIndex(Iterable<NetworkInterfaceInner> nics) {
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

  /**
   * Whether any indexed NIC has a public IP attached, i.e. whether listing them is worth a call.
   */
  boolean referencesPublicIps() {
    return nicsById.values().stream()
        .flatMap(nic -> ipConfigurations(nic).stream())
        .anyMatch(ip -> ip.publicIpAddress() != null && ip.publicIpAddress().id() != null);
  }

  /** Adds public IPs; unallocated ones (no address yet) are skipped. */
  void addPublicIps(Iterable<PublicIpAddressInner> publicIps) {
    for (PublicIpAddressInner publicIp : publicIps) {
      if (publicIp.id() != null && publicIp.ipAddress() != null) {
        publicAddressById.put(ArmResourceId.key(publicIp.id()), publicIp.ipAddress());
      }
    }
  }

  /** The instance, or empty with a problem added when its private address cannot be found. */
  Optional<Instance> resolve(Machine machine, List<Problem> problems) {
    Optional<NetworkInterfaceInner> nic = primaryNic(machine, problems);
    if (nic.isEmpty()) {
      return Optional.empty();
    }
    List<NetworkInterfaceIpConfigurationInner> configs = ipConfigurations(nic.get());
    Optional<NetworkInterfaceIpConfigurationInner> config =
        configs.stream()
            .filter(c -> Boolean.TRUE.equals(c.primary()))
            .findFirst()
            .or(() -> configs.stream().findFirst());
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
        Instance.builder(machine.id(), machine.name(), privateIp)
            .publicIp(publicAddress(config.get()).orElse(null))
            .location(machine.location().orElse(null))
            .zone(machine.zone().orElse(null))
            .powerState(machine.powerState())
            .kind(machine.kind())
            .tags(machine.tags())
            .build());
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
    Machine.NicRef ref =
        machine.nics().stream()
            .filter(r -> r.primary().orElse(false))
            .findFirst()
            .orElse(machine.nics().get(0));
    NetworkInterfaceInner nic = nicsById.get(ArmResourceId.key(ref.id()));
    if (nic == null) {
      problems.add(
          Problem.of(
              machine.name(),
              "network interface",
              ref.id(),
              "not in the network interface listing (created or deleted during the refresh?)"));
      return Optional.empty();
    }
    return Optional.of(nic);
  }

  private Optional<String> publicAddress(NetworkInterfaceIpConfigurationInner config) {
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
    return address.filter(IpLiterals::isIpLiteral);
  }

  private static List<NetworkInterfaceIpConfigurationInner> ipConfigurations(
      NetworkInterfaceInner nic) {
    return nic.ipConfigurations() == null ? List.of() : nic.ipConfigurations();
  }
}
