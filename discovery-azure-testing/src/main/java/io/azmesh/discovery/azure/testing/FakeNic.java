package io.azmesh.discovery.azure.testing;

import java.util.List;

/**
 * A fake network interface attached to a fake VM.
 *
 * @param name the NIC name
 * @param primary whether the VM lists it as its primary NIC
 * @param ipConfigs its IP configurations
 */
public record FakeNic(String name, boolean primary, List<FakeIpConfig> ipConfigs) {
  public FakeNic {
    ipConfigs = List.copyOf(ipConfigs);
  }

  /** A primary NIC with one IP configuration. */
  public static FakeNic primary(String name, FakeIpConfig ipConfig) {
    return new FakeNic(name, true, List.of(ipConfig));
  }
}
