package io.azmesh.discovery.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.compute.models.OrchestrationMode;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The list-all reading of one {@link ListingScope}: a fixed number of list calls, joined locally,
 * never a call per VM.
 *
 * <p>A subscription-wide scope (no {@code resource-group} given) lists VMs (with tags and network
 * profile), VMs again with {@code statusOnly=true} (power states), network interfaces, public IPs
 * (only if some NIC has one) and scale sets: at most 5 requests. A resource-group scope lists the
 * group's VMs with {@code $expand=instanceView} (tags, network profile and power state in one
 * listing; {@code statusOnly} exists only subscription-wide), its network interfaces, public IPs
 * (only if some NIC has one) and scale sets: at most 4 requests, all authorized at the group, so
 * Reader on the group is enough. Per uniform scale set in scope: its VMs with {@code
 * $expand=instanceView}, its NICs, and its public IPs (only if some of its NICs has one). Every
 * listing may add pages. So a refresh makes at most {@code 5 * subscriptionScopes + 4 *
 * resourceGroupScopes + 3 * uniformScaleSets + extraPages} requests before retries. VMs of flexible
 * scale sets are in the VM listing and their NICs in the NIC listing.
 */
final class ListAllScan {
  private final AzureDiscoveryConfig config;

  ListAllScan(AzureDiscoveryConfig config) {
    this.config = config;
  }

  /** What one scope holds, with a problem for each machine left out. */
  record Result(List<Instance> instances, List<Problem> problems) {
    Result {
      instances = List.copyOf(instances);
      problems = List.copyOf(problems);
    }
  }

  Result scan(ArmClients clients, ListingScope scope, Context context) {
    ScopedListings listings = new ScopedListings(clients, scope, context);
    List<Instance> instances = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    if (scanVirtualMachines(listings, instances, problems)) {
      scanUniformScaleSets(listings, instances, problems);
    }
    return new Result(instances, problems);
  }

  /** Adds the scope's VMs; false when the scope is a resource group that does not exist. */
  private boolean scanVirtualMachines(
      ScopedListings listings, List<Instance> instances, List<Problem> problems) {
    Map<String, PowerState> powerStates = new HashMap<>();
    List<VirtualMachineInner> vms = new ArrayList<>();
    try {
      for (VirtualMachineInner vm : listings.virtualMachines()) {
        if (inScope(vm.name(), vm.id(), vm.tags(), problems)) {
          vms.add(vm);
          addPowerState(vm, powerStates);
        }
      }
    } catch (ManagementException e) {
      ListingScope scope = listings.scope();
      if (scope.resourceGroup().isPresent() && isResourceGroupNotFound(e)) {
        String group = scope.resourceGroup().get();
        problems.add(
            Problem.of(
                scope.subscription() + "/" + group,
                "resource group",
                group,
                "not found in subscription " + scope.subscription()));
        return false;
      }
      throw e;
    }
    listings
        .powerStates()
        .ifPresent(statuses -> statuses.forEach(status -> addPowerState(status, powerStates)));
    NetworkIndex index = new NetworkIndex(listings.networkInterfaces());
    if (index.referencesPublicIps()) {
      index.addPublicIps(listings.publicIps());
    }
    for (VirtualMachineInner vm : vms) {
      Machine machine =
          new Machine(
              vm.id(),
              nameOf(vm.name(), vm.id()),
              Optional.ofNullable(vm.location()),
              Machine.firstZone(vm.zones()),
              vm.tags(),
              powerStates.getOrDefault(ArmResourceId.key(vm.id()), PowerState.UNKNOWN),
              InstanceKind.VM,
              Machine.nicRefs(vm.networkProfile()));
      index.resolve(machine, problems).ifPresent(instances::add);
    }
    return true;
  }

  private static void addPowerState(VirtualMachineInner vm, Map<String, PowerState> powerStates) {
    if (vm.id() != null && vm.instanceView() != null) {
      powerStates.put(ArmResourceId.key(vm.id()), Machine.powerState(vm.instanceView().statuses()));
    }
  }

  /** ARM's answer to a listing in a resource group the subscription does not have. */
  private static boolean isResourceGroupNotFound(ManagementException e) {
    return e.getResponse() != null
        && e.getResponse().getStatusCode() == 404
        && e.getValue() != null
        && "ResourceGroupNotFound".equalsIgnoreCase(e.getValue().getCode());
  }

  private void scanUniformScaleSets(
      ScopedListings listings, List<Instance> instances, List<Problem> problems) {
    ComputeManagementClient compute = listings.clients().compute();
    NetworkManagementClient network = listings.clients().network();
    Context context = listings.context();
    List<VirtualMachineScaleSetInner> uniform = new ArrayList<>();
    for (VirtualMachineScaleSetInner scaleSet : listings.scaleSets()) {
      if (!OrchestrationMode.FLEXIBLE.equals(scaleSet.orchestrationMode())
          && inScope(scaleSet.name(), scaleSet.id(), scaleSet.tags(), problems)) {
        uniform.add(scaleSet);
      }
    }
    for (VirtualMachineScaleSetInner scaleSet : uniform) {
      String group = ArmResourceId.parse(scaleSet.id()).resourceGroup();
      String name = scaleSet.name();
      List<VirtualMachineScaleSetVMInner> vms = new ArrayList<>();
      compute
          .getVirtualMachineScaleSetVMs()
          .list(group, name, null, null, "instanceView", context)
          .forEach(vms::add);
      NetworkIndex index =
          new NetworkIndex(
              network
                  .getNetworkInterfaces()
                  .listVirtualMachineScaleSetNetworkInterfaces(group, name, context));
      if (index.referencesPublicIps()) {
        index.addPublicIps(
            network
                .getPublicIpAddresses()
                .listVirtualMachineScaleSetPublicIpAddresses(group, name, context));
      }
      for (VirtualMachineScaleSetVMInner vm : vms) {
        if (vm.id() == null) {
          continue;
        }
        Machine machine =
            new Machine(
                vm.id(),
                vm.name(),
                Optional.ofNullable(vm.location())
                    .or(() -> Optional.ofNullable(scaleSet.location())),
                Machine.firstZone(vm.zones()),
                scaleSet.tags(),
                vm.instanceView() == null
                    ? PowerState.UNKNOWN
                    : Machine.powerState(vm.instanceView().statuses()),
                InstanceKind.SCALE_SET_INSTANCE,
                Machine.nicRefs(vm.networkProfile()));
        index.resolve(machine, problems).ifPresent(instances::add);
      }
    }
  }

  /** ARM always names resources; should a name be missing, the id's last segment stands in. */
  private static String nameOf(String name, String id) {
    return name != null && !name.isBlank() ? name : id.substring(id.lastIndexOf('/') + 1);
  }

  /**
   * Whether a listed VM or scale set passes the tag filter; one with a broken id is a problem
   * instead. The listing itself is already limited to the scope's resource group, if any.
   */
  private boolean inScope(
      String name, String id, Map<String, String> tags, List<Problem> problems) {
    Optional<ArmResourceId> parsed = ArmResourceId.tryParse(id);
    if (parsed.isEmpty()) {
      String subject = name == null ? "unnamed resource" : name;
      problems.add(
          id == null
              ? Problem.missing(subject, "id", "ARM listed the resource without an id")
              : Problem.of(subject, "id", id, "not a resource-group-scoped ARM resource id"));
      return false;
    }
    return config.tags().accepts(tags);
  }
}
