package io.azmesh.discovery.azure.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A standalone VM (or a VM of a flexible scale set) the fake ARM serves.
 *
 * @param subscription subscription id
 * @param resourceGroup resource group name
 * @param name VM name
 * @param location region
 * @param zone availability zone, if any
 * @param tags the VM's tags
 * @param powerState power state code such as {@code running}; absent serves no PowerState status
 * @param nics attached NICs in the order the VM's network profile lists them
 * @param flexibleScaleSet name of the flexible scale set (same resource group) the VM belongs to
 * @param provisioningState e.g. {@code Succeeded}, {@code Creating}, {@code Deleting}
 */
public record FakeVm(
    String subscription,
    String resourceGroup,
    String name,
    String location,
    Optional<String> zone,
    Map<String, String> tags,
    Optional<String> powerState,
    List<FakeNic> nics,
    Optional<String> flexibleScaleSet,
    String provisioningState) {

  public FakeVm {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
    Objects.requireNonNull(name, "name");
    tags = Map.copyOf(tags);
    nics = List.copyOf(nics);
    Objects.requireNonNull(provisioningState, "provisioningState");
  }

  /** Starts a VM; see {@link Builder} for the defaults. */
  public static Builder builder(String subscription, String resourceGroup, String name) {
    return new Builder(subscription, resourceGroup, name);
  }

  /** The ARM id the fake gives this VM. */
  public String id() {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.Compute/virtualMachines/"
        + name;
  }

  /**
   * Builds a {@link FakeVm}; defaults: {@code westeurope}, no zone, no tags, running, no NIC,
   * {@code Succeeded}.
   */
  public static final class Builder {
    private final String subscription;
    private final String resourceGroup;
    private final String name;
    private String location = "westeurope";
    private String zone;
    private Map<String, String> tags = Map.of();
    private String powerState = "running";
    private List<FakeNic> nics = List.of();
    private String flexibleScaleSet;
    private String provisioningState = "Succeeded";

    private Builder(String subscription, String resourceGroup, String name) {
      this.subscription = subscription;
      this.resourceGroup = resourceGroup;
      this.name = name;
    }

    public Builder location(String location) {
      this.location = location;
      return this;
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      this.tags = tags;
      return this;
    }

    /** {@code running}, {@code deallocated}, ...; null serves no PowerState status. */
    public Builder powerState(String powerState) {
      this.powerState = powerState;
      return this;
    }

    public Builder nics(FakeNic... nics) {
      this.nics = List.of(nics);
      return this;
    }

    /** One primary NIC named {@code <vm>-nic} with a private address. */
    public Builder privateIp(String privateIp) {
      return nics(FakeNic.primary(name + "-nic", FakeIpConfig.privateOnly(privateIp)));
    }

    /** One primary NIC named {@code <vm>-nic} with a private and a public address. */
    public Builder publicIp(String privateIp, String publicIp) {
      return nics(FakeNic.primary(name + "-nic", FakeIpConfig.withPublic(privateIp, publicIp)));
    }

    public Builder flexibleScaleSet(String scaleSetName) {
      this.flexibleScaleSet = scaleSetName;
      return this;
    }

    /** {@code Succeeded} (the default), {@code Creating}, {@code Deleting}, ... */
    public Builder provisioningState(String provisioningState) {
      this.provisioningState = provisioningState;
      return this;
    }

    public FakeVm build() {
      return new FakeVm(
          subscription,
          resourceGroup,
          name,
          location,
          Optional.ofNullable(zone),
          tags,
          Optional.ofNullable(powerState),
          nics,
          Optional.ofNullable(flexibleScaleSet),
          provisioningState);
    }
  }
}
