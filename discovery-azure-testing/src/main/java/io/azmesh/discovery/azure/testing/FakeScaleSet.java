package io.azmesh.discovery.azure.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A virtual machine scale set the fake ARM serves. Uniform scale sets carry their instances; the
 * VMs of a flexible one are plain {@link FakeVm}s naming it.
 */
public record FakeScaleSet(
    String subscription,
    String resourceGroup,
    String name,
    String location,
    Orchestration orchestration,
    Map<String, String> tags,
    List<Instance> instances) {

  public FakeScaleSet {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(orchestration, "orchestration");
    tags = Map.copyOf(tags);
    instances = List.copyOf(instances);
    if (orchestration == Orchestration.FLEXIBLE && !instances.isEmpty()) {
      throw new IllegalArgumentException(
          "flexible scale set " + name + " lists its VMs as FakeVm, not as instances");
    }
  }

  /** A uniform scale set in {@code westeurope}. */
  public static FakeScaleSet uniform(
      String subscription,
      String resourceGroup,
      String name,
      Map<String, String> tags,
      List<Instance> instances) {
    return new FakeScaleSet(
        subscription, resourceGroup, name, "westeurope", Orchestration.UNIFORM, tags, instances);
  }

  /** A flexible scale set in {@code westeurope}; its VMs are added as {@link FakeVm}. */
  public static FakeScaleSet flexible(
      String subscription, String resourceGroup, String name, Map<String, String> tags) {
    return new FakeScaleSet(
        subscription, resourceGroup, name, "westeurope", Orchestration.FLEXIBLE, tags, List.of());
  }

  /** The ARM id of the scale set. */
  public String id() {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
        + name;
  }

  /** The orchestration mode, as Azure spells it on the wire. */
  public enum Orchestration {
    UNIFORM("Uniform"),
    FLEXIBLE("Flexible");

    private final String wire;

    Orchestration(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /**
   * One instance of a uniform scale set.
   *
   * @param instanceId the instance id, e.g. {@code 0}
   * @param zone availability zone or null
   * @param powerState power state code, e.g. {@code running}
   * @param privateIp private address of its primary NIC
   * @param publicIp public address or null
   * @param provisioningState e.g. {@code Succeeded}, or {@code Creating}/{@code Deleting} for the
   *     extra instances of an overprovisioning scale-out
   */
  public record Instance(
      String instanceId,
      String zone,
      String powerState,
      String privateIp,
      String publicIp,
      String provisioningState) {
    public Instance {
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(provisioningState, "provisioningState");
    }

    /** A provisioned ({@code Succeeded}) instance. */
    public Instance(
        String instanceId, String zone, String powerState, String privateIp, String publicIp) {
      this(instanceId, zone, powerState, privateIp, publicIp, "Succeeded");
    }

    /** A running instance without zone or public IP. */
    public static Instance running(String instanceId, String privateIp) {
      return new Instance(instanceId, null, "running", privateIp, null);
    }

    /** This instance in another provisioning state, e.g. {@code Creating}. */
    public Instance provisioning(String state) {
      return new Instance(instanceId, zone, powerState, privateIp, publicIp, state);
    }
  }
}
