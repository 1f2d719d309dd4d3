package io.azmesh.discovery.azure.testing;

import java.util.Optional;

/**
 * One IP configuration of a fake NIC.
 *
 * @param name the ipConfiguration name, e.g. {@code ipconfig1}
 * @param primary whether Azure marks it primary
 * @param privateIp the private address, absent for a configuration without one
 * @param publicIp the address of an attached public IP resource, if any
 */
public record FakeIpConfig(
    String name, boolean primary, Optional<String> privateIp, Optional<String> publicIp) {

  /** A primary configuration {@code ipconfig1} with a private address only. */
  public static FakeIpConfig privateOnly(String privateIp) {
    return new FakeIpConfig("ipconfig1", true, Optional.of(privateIp), Optional.empty());
  }

  /** A primary configuration {@code ipconfig1} with a private and a public address. */
  public static FakeIpConfig withPublic(String privateIp, String publicIp) {
    return new FakeIpConfig("ipconfig1", true, Optional.of(privateIp), Optional.of(publicIp));
  }
}
