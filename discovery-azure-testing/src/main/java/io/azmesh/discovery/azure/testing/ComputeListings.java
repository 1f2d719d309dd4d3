package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft.Compute: the VM listings (full model, {@code statusOnly}, a flexible scale set's VMs
 * with their instance views), scale sets, and a uniform scale set's instances, with the 400s and
 * 409s Compute answers a request outside its documented contract with.
 */
final class ComputeListings {
  static final String SUB = "^/subscriptions/([^/]+)";
  static final String SCALE_SET =
      SUB + "/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachineScaleSets/([^/]+)";
  // A subscription-wide listing, or (group 2) one resource group's.
  static final String LIST_SCOPE = SUB + "(?:/resourceGroups/([^/]+))?";
  private static final Pattern VMS =
      Pattern.compile(
          LIST_SCOPE + "/providers/Microsoft\\.Compute/virtualMachines$", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SETS =
      Pattern.compile(
          LIST_SCOPE + "/providers/Microsoft\\.Compute/virtualMachineScaleSets$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SET_VMS =
      Pattern.compile(SCALE_SET + "/virtualMachines$", Pattern.CASE_INSENSITIVE);
  private static final Pattern FLEXIBLE_FILTER =
      Pattern.compile("^virtualMachineScaleSet/id eq '([^']+)'$", Pattern.CASE_INSENSITIVE);

  private final ArmTemplates templates;
  private final FakeWorld world;
  private volatile FakeArm.ExpandWithoutFilter expandWithoutFilter =
      FakeArm.ExpandWithoutFilter.REFUSE;

  ComputeListings(ArmTemplates templates, FakeWorld world) {
    this.templates = templates;
    this.world = world;
  }

  void expandWithoutFilter(FakeArm.ExpandWithoutFilter mode) {
    this.expandWithoutFilter = Objects.requireNonNull(mode, "mode");
  }

  /** The items of a Compute listing at {@code path}, or empty when it is not one. */
  Optional<List<ObjectNode>> list(String path, Map<String, String> query) {
    Matcher m;
    if ((m = VMS.matcher(path)).matches()) {
      String subscription = m.group(1);
      String group = m.group(2);
      // statusOnly exists only on the subscription-wide listing; $expand=instanceView adds the
      // instance view to the full model.
      boolean statusOnly = group == null && "true".equalsIgnoreCase(query.get("statusOnly"));
      String filter = query.get("$filter");
      // Without the documented $filter, ARM either refuses the expansion (see
      // contractViolation) or leaves the instance view out.
      boolean expand = "instanceView".equalsIgnoreCase(query.get("$expand")) && filter != null;
      Optional<String> flexibleSet =
          Optional.ofNullable(filter)
              .map(FLEXIBLE_FILTER::matcher)
              .filter(Matcher::matches)
              .map(f -> f.group(1));
      return Optional.of(
          world.vms.stream()
              .filter(
                  vm ->
                      FakeWorld.inScope(vm.subscription(), vm.resourceGroup(), subscription, group))
              .filter(
                  vm ->
                      flexibleSet.isEmpty()
                          || vm.flexibleScaleSet()
                              .map(
                                  ss ->
                                      FakeWorld.flexibleScaleSetId(vm, ss)
                                          .equalsIgnoreCase(flexibleSet.get()))
                              .orElse(false))
              .map(vm -> statusOnly ? vmStatus(vm) : vm(vm, expand))
              .toList());
    }
    if ((m = SCALE_SETS.matcher(path)).matches()) {
      String subscription = m.group(1);
      String group = m.group(2);
      return Optional.of(
          world.scaleSets.stream()
              .filter(
                  ss ->
                      FakeWorld.inScope(ss.subscription(), ss.resourceGroup(), subscription, group))
              .map(this::scaleSet)
              .toList());
    }
    if ((m = SCALE_SET_VMS.matcher(path)).matches()) {
      Optional<FakeScaleSet> found = scaleSet(m);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      FakeScaleSet ss = found.get();
      boolean expand = "instanceView".equalsIgnoreCase(query.get("$expand"));
      List<ObjectNode> items = new ArrayList<>();
      for (FakeScaleSet.Instance instance : ss.instances()) {
        items.add(scaleSetVm(ss, instance, expand));
      }
      return Optional.of(items);
    }
    return Optional.empty();
  }

  /** The scale set a path under {@link #SCALE_SET} names (groups 1 to 3), if the fake holds it. */
  Optional<FakeScaleSet> scaleSet(Matcher m) {
    return world.scaleSets.stream()
        .filter(
            ss ->
                ss.subscription().equalsIgnoreCase(m.group(1))
                    && ss.resourceGroup().equalsIgnoreCase(m.group(2))
                    && ss.name().equalsIgnoreCase(m.group(3)))
        .findFirst();
  }

  /**
   * The 400 ARM answers a request that breaks the documented contract with, if this one does:
   * {@code $expand=instanceView} on a VM listing without {@code $filter}, or an unknown filter.
   */
  Optional<String> contractViolation(String path, Map<String, String> query) {
    if (!VMS.matcher(path).matches()) {
      return Optional.empty();
    }
    String filter = query.get("$filter");
    if (filter != null && !FLEXIBLE_FILTER.matcher(filter).matches()) {
      return Optional.of(
          Fault.armError(
              "InvalidParameter",
              "The value '" + filter + "' of parameter '$filter' is not supported."));
    }
    if (filter == null
        && "instanceView".equalsIgnoreCase(query.get("$expand"))
        && expandWithoutFilter == FakeArm.ExpandWithoutFilter.REFUSE) {
      return Optional.of(
          Fault.armError(
              "BadRequest",
              "Expand Instance View is only supported when Virtual Machine Scale Set resource"
                  + " filter is applied."));
    }
    return Optional.empty();
  }

  /** Compute's 409 body for a flexible scale set's instance listing, if {@code path} is one. */
  Optional<String> flexibleInstanceListing(String path) {
    Matcher m = SCALE_SET_VMS.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    return scaleSet(m)
        .filter(ss -> ss.orchestration() == FakeScaleSet.Orchestration.FLEXIBLE)
        .map(
            ss ->
                Fault.armError(
                    "OperationNotAllowed",
                    "Operation 'VMScaleSetVMs.List' is not allowed on Virtual Machine Scale Set '"
                        + ss.name()
                        + "' since it is in Flexible orchestration mode. Use the Virtual Machines"
                        + " API on its VMs instead."));
  }

  // ---- Rendering: Azure's example objects, copied and filled in ----

  private ObjectNode vm(FakeVm vm, boolean withInstanceView) {
    ObjectNode node = templates.vm.deepCopy();
    node.put("id", vm.id());
    node.put("name", vm.name());
    node.put("location", vm.location());
    Wire.putTags(node, vm.tags());
    vm.zone().ifPresent(zone -> node.putArray("zones").add(zone));
    ObjectNode properties = (ObjectNode) node.get("properties");
    properties.remove("availabilitySet");
    properties.put("provisioningState", vm.provisioningState());
    properties.put(
        "vmId", UUID.nameUUIDFromBytes(vm.id().getBytes(StandardCharsets.UTF_8)).toString());
    properties.with("osProfile").put("computerName", vm.name());
    ArrayNode nics = properties.with("networkProfile").putArray("networkInterfaces");
    for (FakeNic nic : vm.nics()) {
      ObjectNode ref = nics.addObject();
      ref.put("id", FakeWorld.nicId(vm, nic));
      ref.putObject("properties").put("primary", nic.primary());
    }
    if (withInstanceView) {
      ObjectNode instanceView = templates.vmInstanceView.deepCopy();
      instanceView.put("computerName", vm.name());
      setStatuses(instanceView, vm.provisioningState(), powerStateOf(vm));
      properties.set("instanceView", instanceView);
    }
    vm.flexibleScaleSet()
        .ifPresent(
            ss ->
                properties
                    .putObject("virtualMachineScaleSet")
                    .put("id", FakeWorld.flexibleScaleSetId(vm, ss)));
    return node;
  }

  private ObjectNode vmStatus(FakeVm vm) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", vm.name());
    node.put("id", vm.id());
    node.put("type", "Microsoft.Compute/virtualMachines");
    node.put("location", vm.location());
    ObjectNode instanceView = templates.vmInstanceView.deepCopy();
    instanceView.put("computerName", vm.name());
    setStatuses(instanceView, vm.provisioningState(), powerStateOf(vm));
    ObjectNode properties = node.putObject("properties");
    properties.put(
        "vmId", UUID.nameUUIDFromBytes(vm.id().getBytes(StandardCharsets.UTF_8)).toString());
    properties.set("instanceView", instanceView);
    return node;
  }

  /** The VM's power state, unless a gap leaves it out of this answer. */
  private Optional<String> powerStateOf(FakeVm vm) {
    return vm.powerState().filter(code -> !world.powerStateWithheld(vm));
  }

  private static void setStatuses(
      ObjectNode instanceView, String provisioningState, Optional<String> powerState) {
    ArrayNode statuses = instanceView.putArray("statuses");
    ObjectNode provisioning = statuses.addObject();
    String provisioned = provisioningState.toLowerCase(Locale.ROOT);
    provisioning.put("code", "ProvisioningState/" + provisioned);
    provisioning.put("level", "Info");
    provisioning.put("displayStatus", "Provisioning " + provisioned);
    powerState.ifPresent(
        state -> {
          ObjectNode power = statuses.addObject();
          power.put("code", "PowerState/" + state);
          power.put("level", "Info");
          power.put("displayStatus", "VM " + state);
        });
  }

  private ObjectNode scaleSet(FakeScaleSet ss) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", ss.id());
    node.put("name", ss.name());
    node.put("type", "Microsoft.Compute/virtualMachineScaleSets");
    node.put("location", ss.location());
    Wire.putTags(node, ss.tags());
    ObjectNode sku = node.putObject("sku");
    sku.put("name", "Standard_D2s_v3");
    sku.put("tier", "Standard");
    sku.put("capacity", ss.instances().size());
    ObjectNode properties = node.putObject("properties");
    properties.put("orchestrationMode", ss.orchestration().wire());
    properties.put("provisioningState", "Succeeded");
    properties.put(
        "uniqueId", UUID.nameUUIDFromBytes(ss.id().getBytes(StandardCharsets.UTF_8)).toString());
    if (ss.orchestration() == FakeScaleSet.Orchestration.UNIFORM) {
      properties.putObject("upgradePolicy").put("mode", "Manual");
    }
    return node;
  }

  private ObjectNode scaleSetVm(FakeScaleSet ss, FakeScaleSet.Instance instance, boolean expand) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", FakeWorld.scaleSetVmId(ss, instance));
    node.put("name", ss.name() + "_" + instance.instanceId());
    node.put("type", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines");
    node.put("location", ss.location());
    node.put("instanceId", instance.instanceId());
    if (instance.zone() != null) {
      node.putArray("zones").add(instance.zone());
    }
    ObjectNode properties = node.putObject("properties");
    properties.put("latestModelApplied", true);
    properties.put("provisioningState", instance.provisioningState());
    ObjectNode ref =
        properties.putObject("networkProfile").putArray("networkInterfaces").addObject();
    ref.put("id", FakeWorld.scaleSetNicId(ss, instance));
    ref.putObject("properties").put("primary", true);
    if (expand) {
      ObjectNode instanceView = templates.scaleSetVmInstanceView.deepCopy();
      setStatuses(
          instanceView, instance.provisioningState(), Optional.ofNullable(instance.powerState()));
      properties.set("instanceView", instanceView);
    }
    return node;
  }
}
