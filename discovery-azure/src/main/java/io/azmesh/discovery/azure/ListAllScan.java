package io.azmesh.discovery.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.compute.models.OrchestrationMode;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * their NICs in the NIC listing. A machine in a scale set (either mode) matches the tag filter on
 * its scale set's tags with its own on top. A machine is served by its power state unless it is
 * being created or deleted. See docs/azure.md for the budget this adds up to.
 */
final class ListAllScan {
  private static final String NIC_READ = "Microsoft.Network/networkInterfaces/read";
  private static final String PUBLIC_IP_READ = "Microsoft.Network/publicIPAddresses/read";

  private final AzureDiscoveryConfig config;
  private final PowerStateMemory memory;

  ListAllScan(AzureDiscoveryConfig config, PowerStateMemory memory) {
    this.config = config;
    this.memory = memory;
  }

  /** What one scope holds, with a problem for each machine left out. */
  record Result(List<Instance> instances, List<Problem> problems) {
    Result {
      instances = List.copyOf(instances);
      problems = List.copyOf(problems);
    }
  }

  /**
   * The scope's machines; {@code listed} collects the keys of every VM ARM listed, for {@link
   * PowerStateMemory#retainOnly}.
   */
  Result scan(ScopedListings listings, PowerStates powerStates, Set<String> listed)
      throws DiscoveryException {
    List<Instance> instances = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    ScaleSets scaleSets = new ScaleSets(listings);
    if (scanVirtualMachines(listings, powerStates, scaleSets, listed, instances, problems)) {
      scanUniformScaleSets(listings, scaleSets, instances, problems);
    }
    return new Result(instances, problems);
  }

  /** The scope's scale sets, listed once and only when needed. */
  private static final class ScaleSets {
    private final ScopedListings listings;
    private List<VirtualMachineScaleSetInner> listed;

    ScaleSets(ScopedListings listings) {
      this.listings = listings;
    }

    List<VirtualMachineScaleSetInner> all() {
      if (listed == null) {
        List<VirtualMachineScaleSetInner> all = new ArrayList<>();
        listings.scaleSets().forEach(all::add);
        listed = all;
      }
      return listed;
    }

    /** The tags of the scale set with this id; empty when it is not in the scope's listing. */
    Map<String, String> tagsOf(String scaleSetId) {
      String key = ArmResourceId.key(scaleSetId);
      return all().stream()
          .filter(ss -> ss.id() != null && ArmResourceId.key(ss.id()).equals(key))
          .findFirst()
          .map(VirtualMachineScaleSetInner::tags)
          .filter(Objects::nonNull)
          .orElse(Map.of());
    }
  }

  /**
   * A machine's tags: its scale set's, then its own on top. Whether a scale set copies its tags to
   * its VMs is not documented, and a tag changed on the scale set later never reaches existing VMs,
   * so both are read; the VM's own win.
   */
  static Map<String, String> effectiveTags(
      Map<String, String> scaleSetTags, Map<String, String> own) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (scaleSetTags != null) {
      tags.putAll(scaleSetTags);
    }
    if (own != null) {
      tags.putAll(own);
    }
    return tags;
  }

  /** Adds the scope's VMs; false when the scope is a resource group that does not exist. */
  private boolean scanVirtualMachines(
      ScopedListings listings,
      PowerStates powerStates,
      ScaleSets scaleSets,
      Set<String> listed,
      List<Instance> instances,
      List<Problem> problems)
      throws DiscoveryException {
    ListingScope scope = listings.scope();
    List<VirtualMachineInner> vms = new ArrayList<>();
    Map<String, Map<String, String>> tagsById = new HashMap<>();
    int listedHere = 0;
    try {
      for (VirtualMachineInner vm : listings.virtualMachines()) {
        if (vm.id() != null) {
          listed.add(ArmResourceId.key(vm.id()));
          listedHere++;
        }
        Map<String, String> tags =
            vm.virtualMachineScaleSet() == null || vm.virtualMachineScaleSet().id() == null
                ? vm.tags()
                : effectiveTags(scaleSets.tagsOf(vm.virtualMachineScaleSet().id()), vm.tags());
        if (inScope(vm.name(), vm.id(), tags, problems)) {
          vms.add(vm);
          tagsById.put(vm.id(), tags);
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
    powerStates.requireGraphRows(scope, listedHere);
    List<Machine> machines = new ArrayList<>();
    for (VirtualMachineInner vm : vms) {
      String name = nameOf(vm.name(), vm.id());
      if (!isProvisioned(name, vm.provisioningState(), problems)) {
        continue;
      }
      powerState(name, vm.id(), powerStates.codeOf(scope, vm.id()), scope, powerStates, problems)
          .ifPresent(
              state ->
                  machines.add(
                      new Machine(
                          vm.id(),
                          name,
                          Optional.ofNullable(vm.location()),
                          Machine.firstZone(vm.zones()),
                          tagsById.get(vm.id()),
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
      ScopedListings listings,
      ScaleSets scaleSets,
      List<Instance> instances,
      List<Problem> problems) {
    List<VirtualMachineScaleSetInner> uniform = new ArrayList<>();
    for (VirtualMachineScaleSetInner scaleSet : scaleSets.all()) {
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
                          effectiveTags(scaleSet.tags(), vm.tags()),
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
   * Whether a machine may be served by its power state. Azure's states page: the provisioning state
   * is the status of the last user-initiated control-plane operation, separate from the power
   * state. {@code Creating} and {@code Deleting} (e.g. the extra instances of an overprovisioning
   * scale-out) are not served; {@code Failed} only says the last operation (an extension, a policy
   * rollout) did not succeed, so the machine serves by its power state with a problem noting it;
   * the rest ({@code Succeeded}, {@code Updating}, ...) serve.
   */
  private static boolean isProvisioned(String name, String state, List<Problem> problems) {
    if (state == null) {
      return true;
    }
    if (state.equalsIgnoreCase("Creating") || state.equalsIgnoreCase("Deleting")) {
      problems.add(
          Problem.of(name, "provisioning state", state, "not served until it is Succeeded"));
      return false;
    }
    if (state.equalsIgnoreCase("Failed")) {
      problems.add(
          Problem.of(
              name,
              "provisioning state",
              state,
              "its last operation failed; served by its power state"));
    }
    return true;
  }

  /**
   * A listed VM's power state: as its source reports it, else (for {@link
   * PowerStateMemory#REFRESHES} refreshes) its last known one with a problem noting the gap.
   */
  private Optional<PowerState> powerState(
      String name,
      String vmId,
      Optional<String> code,
      ListingScope scope,
      PowerStates powerStates,
      List<Problem> problems) {
    String key = ArmResourceId.key(vmId);
    code.ifPresent(c -> memory.saw(key, c));
    if (code.isEmpty()) {
      Optional<PowerStateMemory.Remembered> last = memory.missing(key);
      if (last.isPresent()) {
        problems.add(
            Problem.missing(
                name,
                "power state",
                powerStates.missingSource(scope)
                    + "; serving the last known '"
                    + PowerState.fromCode(last.get().code()).map(PowerState::code).orElse("?")
                    + "' ("
                    + last.get().misses()
                    + " of "
                    + PowerStateMemory.REFRESHES
                    + " refreshes)"));
        return powerState(name, Optional.of(last.get().code()), () -> "", problems);
      }
    }
    return powerState(name, code, () -> powerStates.missingReason(scope), problems);
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
