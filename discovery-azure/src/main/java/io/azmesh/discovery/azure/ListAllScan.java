package io.azmesh.discovery.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.compute.models.OrchestrationMode;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The ARM listings of one {@link ListingScope}: a fixed number of list calls, joined locally, never
 * a call per VM.
 *
 * <p>Per scope: VMs (tags, network profile, provisioning state), NICs, public IPs (only if some
 * machine's primary IP configuration has one) and scale sets; power states come from {@link
 * PowerStates}. A machine's NIC or public IP may live in another resource group: each such group is
 * listed once (a refused listing makes problems for the machines that need it). Per uniform scale
 * set in scope: its VMs with {@code $expand=instanceView} (documented for that listing), its NICs,
 * and its public IPs (only if some of its NICs has one); a scale set whose own calls fail is a
 * problem, and the rest of the refresh stands. VMs of flexible scale sets are in the VM listing and
 * their NICs in the NIC listing. See docs/azure.md for the budget this adds up to.
 */
final class ListAllScan {
  private static final String NIC_READ = "Microsoft.Network/networkInterfaces/read";
  private static final String PUBLIC_IP_READ = "Microsoft.Network/publicIPAddresses/read";

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

  Result scan(ScopedListings listings, PowerStates powerStates) {
    List<Instance> instances = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    if (scanVirtualMachines(listings, powerStates, instances, problems)) {
      scanUniformScaleSets(listings, instances, problems);
    }
    return new Result(instances, problems);
  }

  /** Adds the scope's VMs; false when the scope is a resource group that does not exist. */
  private boolean scanVirtualMachines(
      ScopedListings listings,
      PowerStates powerStates,
      List<Instance> instances,
      List<Problem> problems) {
    ListingScope scope = listings.scope();
    List<VirtualMachineInner> vms = new ArrayList<>();
    try {
      for (VirtualMachineInner vm : listings.virtualMachines()) {
        if (inScope(vm.name(), vm.id(), vm.tags(), problems)) {
          vms.add(vm);
        }
      }
    } catch (ManagementException e) {
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
    List<Machine> machines = new ArrayList<>();
    for (VirtualMachineInner vm : vms) {
      String name = nameOf(vm.name(), vm.id());
      if (!isProvisioned(name, vm.provisioningState(), problems)) {
        continue;
      }
      powerState(
              name,
              powerStates.codeOf(scope, vm.id()),
              () -> powerStates.missingReason(scope),
              problems)
          .ifPresent(
              state ->
                  machines.add(
                      new Machine(
                          vm.id(),
                          name,
                          Optional.ofNullable(vm.location()),
                          Machine.firstZone(vm.zones()),
                          vm.tags(),
                          state,
                          InstanceKind.VM,
                          Machine.nicRefs(vm.networkProfile()))));
    }
    NetworkIndex index = new NetworkIndex(listings.networkInterfaces());
    for (String group : index.nicGroupsToList(machines, scope)) {
      readOrRefuse(
          index, group, NIC_READ, () -> index.addNics(listings.networkInterfacesIn(group)));
    }
    for (String group : index.publicIpGroupsToList(machines, scope)) {
      boolean own = scope.resourceGroup().map(group::equalsIgnoreCase).orElse(true);
      Iterable<PublicIpAddressInner> publicIps =
          own ? listings.publicIps() : listings.publicIpsIn(group);
      readOrRefuse(index, group, PUBLIC_IP_READ, () -> index.addPublicIps(publicIps));
      if (scope.resourceGroup().isEmpty()) {
        break; // the subscription-wide listing holds every group's
      }
    }
    for (Machine machine : machines) {
      index.resolve(machine, problems).ifPresent(instances::add);
    }
    return true;
  }

  /** Lists another group's resources; a 403 is remembered for the machines that need them. */
  private static void readOrRefuse(
      NetworkIndex index, String group, String permission, Runnable listing) {
    try {
      listing.run();
    } catch (ManagementException e) {
      if (e.getResponse() == null || e.getResponse().getStatusCode() != 403) {
        throw e;
      }
      index.refused(group, permission);
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
    List<VirtualMachineScaleSetInner> uniform = new ArrayList<>();
    for (VirtualMachineScaleSetInner scaleSet : listings.scaleSets()) {
      if (!OrchestrationMode.FLEXIBLE.equals(scaleSet.orchestrationMode())
          && inScope(scaleSet.name(), scaleSet.id(), scaleSet.tags(), problems)) {
        uniform.add(scaleSet);
      }
    }
    for (VirtualMachineScaleSetInner scaleSet : uniform) {
      List<Problem> own = new ArrayList<>();
      try {
        List<Instance> found = scanScaleSet(listings, scaleSet, own);
        instances.addAll(found);
        problems.addAll(own);
      } catch (ManagementException e) {
        // Throttling is the subscription's, not the scale set's: the whole refresh backs off.
        if (e.getResponse() == null || e.getResponse().getStatusCode() == 429) {
          throw e;
        }
        problems.add(scaleSetProblem(scaleSet.name(), e));
      }
    }
  }

  private List<Instance> scanScaleSet(
      ScopedListings listings, VirtualMachineScaleSetInner scaleSet, List<Problem> problems) {
    ComputeManagementClient compute = listings.clients().compute();
    NetworkManagementClient network = listings.clients().network();
    String group = ArmResourceId.parse(scaleSet.id()).resourceGroup();
    String name = scaleSet.name();
    List<VirtualMachineScaleSetVMInner> vms = new ArrayList<>();
    compute
        .getVirtualMachineScaleSetVMs()
        .list(group, name, null, null, "instanceView", listings.context())
        .forEach(vms::add);
    NetworkIndex index =
        new NetworkIndex(
            network
                .getNetworkInterfaces()
                .listVirtualMachineScaleSetNetworkInterfaces(group, name, listings.context()));
    List<Machine> machines = new ArrayList<>();
    for (VirtualMachineScaleSetVMInner vm : vms) {
      if (vm.id() == null) {
        continue;
      }
      String vmName = nameOf(vm.name(), vm.id());
      if (!isProvisioned(vmName, vm.provisioningState(), problems)) {
        continue;
      }
      powerState(
              vmName,
              vm.instanceView() == null
                  ? Optional.empty()
                  : Machine.powerStateCode(vm.instanceView().statuses()),
              () -> "the scale set's VM listing has no PowerState status for it",
              problems)
          .ifPresent(
              state ->
                  machines.add(
                      new Machine(
                          vm.id(),
                          vmName,
                          Optional.ofNullable(vm.location())
                              .or(() -> Optional.ofNullable(scaleSet.location())),
                          Machine.firstZone(vm.zones()),
                          scaleSet.tags(),
                          state,
                          InstanceKind.SCALE_SET_INSTANCE,
                          Machine.nicRefs(vm.networkProfile()))));
    }
    if (!index.publicIpGroupsToList(machines, listings.scope()).isEmpty()) {
      index.addPublicIps(
          network
              .getPublicIpAddresses()
              .listVirtualMachineScaleSetPublicIpAddresses(group, name, listings.context()));
    }
    List<Instance> instances = new ArrayList<>();
    for (Machine machine : machines) {
      index.resolve(machine, problems).ifPresent(instances::add);
    }
    return instances;
  }

  /** A scale set deleted between the listing and its own calls, or whose calls failed. */
  private static Problem scaleSetProblem(String name, ManagementException e) {
    String answer = AzureFailures.answered(e);
    return e.getResponse().getStatusCode() == 404
        ? Problem.missing(name, "scale set", "deleted during the refresh (" + answer + ")")
        : Problem.missing(
            name,
            "scale set instances",
            "listing them failed (" + answer + "); left out of this refresh");
  }

  /**
   * Whether a machine may be served: {@code Succeeded}, or {@code Updating} (a model change on a
   * running machine, e.g. an extension: draining on each would churn). {@code Creating} and {@code
   * Deleting} (e.g. the extra instances of an overprovisioning scale-out), {@code Failed} and the
   * rest are problems.
   */
  private static boolean isProvisioned(String name, String state, List<Problem> problems) {
    if (state == null
        || state.equalsIgnoreCase("Succeeded")
        || state.equalsIgnoreCase("Updating")) {
      return true;
    }
    problems.add(Problem.of(name, "provisioning state", state, "not served until it is Succeeded"));
    return false;
  }

  /** The power state of a {@code PowerState/...} code; a missing or unknown code is a problem. */
  private static Optional<PowerState> powerState(
      String name, Optional<String> code, Supplier<String> whyMissing, List<Problem> problems) {
    if (code.isEmpty()) {
      problems.add(Problem.missing(name, "power state", whyMissing.get()));
      return Optional.empty();
    }
    Optional<PowerState> state =
        PowerState.fromCode(code.get()).filter(s -> s != PowerState.UNKNOWN);
    if (state.isEmpty()) {
      problems.add(
          Problem.of(
              name,
              "power state",
              code.get(),
              "not one of "
                  + Arrays.stream(PowerState.values())
                      .filter(s -> s != PowerState.UNKNOWN)
                      .map(s -> "PowerState/" + s.code())
                      .collect(Collectors.joining(", "))));
    }
    return state;
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
