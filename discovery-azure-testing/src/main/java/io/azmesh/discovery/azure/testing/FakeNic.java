package io.azmesh.discovery.azure.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fake network interface attached to a fake VM.
 *
 * @param name the NIC name
 * @param primary whether the VM lists it as its primary NIC
 * @param ipConfigs its IP configurations
 * @param resourceGroup the NIC's own resource group; absent means the VM's
 * @param publicIpResourceGroup the resource group of its public IPs; absent means the NIC's
 */
public record FakeNic(
    String name,
    boolean primary,
    List<FakeIpConfig> ipConfigs,
    Optional<String> resourceGroup,
    Optional<String> publicIpResourceGroup) {
  public FakeNic {
    Objects.requireNonNull(name, "name");
    ipConfigs = List.copyOf(ipConfigs);
    Objects.requireNonNull(resourceGroup, "resourceGroup");
    Objects.requireNonNull(publicIpResourceGroup, "publicIpResourceGroup");
  }

  /** A NIC in its VM's resource group. */
  public FakeNic(String name, boolean primary, List<FakeIpConfig> ipConfigs) {
    this(name, primary, ipConfigs, Optional.empty(), Optional.empty());
  }

  /** A primary NIC with one IP configuration. */
  public static FakeNic primary(String name, FakeIpConfig ipConfig) {
    return new FakeNic(name, true, List.of(ipConfig));
  }

  /** This NIC in another resource group than its VM, as Azure allows. */
  public FakeNic inResourceGroup(String group) {
    return new FakeNic(name, primary, ipConfigs, Optional.of(group), publicIpResourceGroup);
  }

  /** This NIC with its public IPs in another resource group. */
  public FakeNic withPublicIpsIn(String group) {
    return new FakeNic(name, primary, ipConfigs, resourceGroup, Optional.of(group));
  }
}
