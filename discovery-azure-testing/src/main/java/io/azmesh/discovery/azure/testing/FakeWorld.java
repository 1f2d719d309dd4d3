package io.azmesh.discovery.azure.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the fake holds (VMs, scale sets, empty resource groups), who may read it (readable scopes),
 * and the ARM ids of everything derived from it. The listings of each resource provider read it.
 */
final class FakeWorld {
  // The resource group of Azure's example of an unallocated public IP, listed in every
  // subscription.
  static final String UNALLOCATED_IP_GROUP = "rg-other";

  final List<FakeVm> vms = new CopyOnWriteArrayList<>();
  final List<FakeScaleSet> scaleSets = new CopyOnWriteArrayList<>();
  private final List<String> extraResourceGroups = new CopyOnWriteArrayList<>();
  private volatile List<String> readableScopes;
  private final Map<String, AtomicInteger> powerStateGaps = new ConcurrentHashMap<>();

  void readableScopes(List<String> scopes) {
    this.readableScopes = List.copyOf(scopes);
  }

  void addResourceGroup(String subscription, String name) {
    extraResourceGroups.add(groupKey(subscription, name));
  }

  /** The next {@code answers} answers that would carry the VM's power state leave it out. */
  void powerStateGap(String vmName, int answers) {
    powerStateGaps.put(vmName.toLowerCase(Locale.ROOT), new AtomicInteger(answers));
  }

  /** Whether this answer leaves the VM's power state out; uses one answer of its gap. */
  boolean powerStateWithheld(FakeVm vm) {
    AtomicInteger gap = powerStateGaps.get(vm.name().toLowerCase(Locale.ROOT));
    return gap != null && gap.getAndDecrement() > 0;
  }

  void clear() {
    vms.clear();
    scaleSets.clear();
  }

  /**
   * Whether a resource is in a listing's scope; {@code group} is null for the whole subscription.
   */
  static boolean inScope(
      String resourceSubscription, String resourceGroup, String subscription, String group) {
    return resourceSubscription.equalsIgnoreCase(subscription)
        && (group == null || resourceGroup.equalsIgnoreCase(group));
  }

  boolean resourceGroupExists(String subscription, String group) {
    return extraResourceGroups.contains(groupKey(subscription, group))
        || group.equalsIgnoreCase(UNALLOCATED_IP_GROUP)
        || vms.stream().anyMatch(vm -> inScope(subscription, group, vm))
        || vms.stream()
            .anyMatch(
                vm ->
                    vm.nics().stream()
                        .anyMatch(
                            nic ->
                                inScope(vm.subscription(), nicGroup(vm, nic), subscription, group)
                                    || inScope(
                                        vm.subscription(),
                                        publicIpGroup(vm, nic),
                                        subscription,
                                        group)))
        || scaleSets.stream()
            .anyMatch(ss -> inScope(ss.subscription(), ss.resourceGroup(), subscription, group));
  }

  private static boolean inScope(String subscription, String group, FakeVm vm) {
    return inScope(vm.subscription(), vm.resourceGroup(), subscription, group);
  }

  private static String groupKey(String subscription, String group) {
    return (subscription + "/" + group).toLowerCase(Locale.ROOT);
  }

  /** The scope of a request no readable scope covers, or empty when it may be read. */
  Optional<String> refusedScope(String path) {
    List<String> readable = readableScopes;
    String lower = path.toLowerCase(Locale.ROOT);
    if (readable == null
        || readable.stream()
            .map(scope -> scope.toLowerCase(Locale.ROOT))
            .anyMatch(scope -> lower.equals(scope) || lower.startsWith(scope + "/"))) {
      return Optional.empty();
    }
    int providers = lower.lastIndexOf("/providers/");
    return Optional.of(providers < 0 ? path : path.substring(0, providers));
  }

  /**
   * ARM's 403 body, e.g. {@code does not have authorization to perform action
   * 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/...'}.
   */
  static String authorizationFailed(String path, String scope) {
    int providers = path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/");
    String action = "*/read";
    if (providers >= 0) {
      String[] segments = path.substring(providers + "/providers/".length()).split("/");
      // namespace, type, name, type, name, ...: the action names the namespace and the types.
      StringBuilder types = new StringBuilder(segments[0]);
      for (int i = 1; i < segments.length; i += 2) {
        types.append('/').append(segments[i]);
      }
      action = types + "/read";
    }
    String client = "00000000-0000-0000-0000-0000000000c1";
    return Fault.armError(
        "AuthorizationFailed",
        "The client '"
            + client
            + "' with object id '"
            + client
            + "' does not have authorization to perform action '"
            + action
            + "' over scope '"
            + scope
            + "' or the scope is invalid. If access was recently granted, please refresh your"
            + " credentials.");
  }

  // ---- ARM ids of what the fake derives from its VMs and scale sets ----

  static String nicGroup(FakeVm vm, FakeNic nic) {
    return nic.resourceGroup().orElse(vm.resourceGroup());
  }

  static String publicIpGroup(FakeVm vm, FakeNic nic) {
    return nic.publicIpResourceGroup().orElse(nicGroup(vm, nic));
  }

  static String flexibleScaleSetId(FakeVm vm, String scaleSet) {
    return "/subscriptions/"
        + vm.subscription()
        + "/resourceGroups/"
        + vm.resourceGroup()
        + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
        + scaleSet;
  }

  static String nicId(FakeVm vm, FakeNic nic) {
    return "/subscriptions/"
        + vm.subscription()
        + "/resourceGroups/"
        + nicGroup(vm, nic)
        + "/providers/Microsoft.Network/networkInterfaces/"
        + nic.name();
  }

  static String publicIpId(FakeVm vm, FakeNic nic, FakeIpConfig config) {
    return "/subscriptions/"
        + vm.subscription()
        + "/resourceGroups/"
        + publicIpGroup(vm, nic)
        + "/providers/Microsoft.Network/publicIPAddresses/"
        + nic.name()
        + "-"
        + config.name()
        + "-pip";
  }

  static String scaleSetVmId(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    return ss.id() + "/virtualMachines/" + instance.instanceId();
  }

  static String scaleSetNicId(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    return scaleSetVmId(ss, instance) + "/networkInterfaces/" + ss.name() + "-nic";
  }

  static String scaleSetPublicIpId(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    return scaleSetNicId(ss, instance) + "/ipConfigurations/ipconfig1/publicIPAddresses/pub1";
  }
}
