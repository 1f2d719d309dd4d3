package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft.Network: the NIC and public IP listings of a subscription or resource group, and a
 * uniform scale set's NICs and public IPs, derived from the VMs and instances the fake holds.
 */
final class NetworkListings {
  private static final Pattern SCALE_SET_NICS =
      Pattern.compile(ComputeListings.SCALE_SET + "/networkInterfaces$", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCALE_SET_PIPS =
      Pattern.compile(ComputeListings.SCALE_SET + "/publicIPAddresses$", Pattern.CASE_INSENSITIVE);
  private static final Pattern NICS =
      Pattern.compile(
          ComputeListings.LIST_SCOPE + "/providers/Microsoft\\.Network/networkInterfaces$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern PIPS =
      Pattern.compile(
          ComputeListings.LIST_SCOPE + "/providers/Microsoft\\.Network/publicIPAddresses$",
          Pattern.CASE_INSENSITIVE);

  private final ArmTemplates templates;
  private final FakeWorld world;
  private final ComputeListings compute;

  NetworkListings(ArmTemplates templates, FakeWorld world, ComputeListings compute) {
    this.templates = templates;
    this.world = world;
    this.compute = compute;
  }

  /** The items of a Network listing at {@code path}, or empty when it is not one. */
  Optional<List<ObjectNode>> list(String path) {
    Matcher m;
    if ((m = NICS.matcher(path)).matches()) {
      String subscription = m.group(1);
      String group = m.group(2);
      List<ObjectNode> nics = new ArrayList<>();
      for (FakeVm vm : world.vms) {
        for (FakeNic nic : vm.nics()) {
          if (FakeWorld.inScope(
              vm.subscription(), FakeWorld.nicGroup(vm, nic), subscription, group)) {
            nics.add(nic(vm, nic));
          }
        }
      }
      return Optional.of(nics);
    }
    if ((m = PIPS.matcher(path)).matches()) {
      return Optional.of(publicIps(m.group(1), m.group(2)));
    }
    for (Pattern pattern : List.of(SCALE_SET_NICS, SCALE_SET_PIPS)) {
      Matcher scaleSetPath = pattern.matcher(path);
      if (!scaleSetPath.matches()) {
        continue;
      }
      Optional<FakeScaleSet> found = compute.scaleSet(scaleSetPath);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      FakeScaleSet ss = found.get();
      List<ObjectNode> items = new ArrayList<>();
      for (FakeScaleSet.Instance instance : ss.instances()) {
        if (pattern == SCALE_SET_NICS) {
          items.add(scaleSetNic(ss, instance));
        } else if (instance.publicIp() != null) {
          items.add(scaleSetPublicIp(ss, instance));
        }
      }
      return Optional.of(items);
    }
    return Optional.empty();
  }

  private ObjectNode nic(FakeVm vm, FakeNic nic) {
    ObjectNode node = templates.nic.deepCopy();
    String nicId = FakeWorld.nicId(vm, nic);
    node.put("id", nicId);
    node.put("name", nic.name());
    node.put("location", vm.location());
    ObjectNode properties = (ObjectNode) node.get("properties");
    ObjectNode ipTemplate = (ObjectNode) properties.get("ipConfigurations").get(0);
    ArrayNode ipConfigurations = properties.putArray("ipConfigurations");
    for (FakeIpConfig config : nic.ipConfigs()) {
      ObjectNode ip = ipTemplate.deepCopy();
      String ipConfigId = nicId + "/ipConfigurations/" + config.name();
      ip.put("name", config.name());
      ip.put("id", ipConfigId);
      ObjectNode ipProperties = (ObjectNode) ip.get("properties");
      config
          .privateIp()
          .ifPresentOrElse(
              address -> ipProperties.put("privateIPAddress", address),
              () -> ipProperties.remove("privateIPAddress"));
      if (config.publicIp().isPresent()) {
        ipProperties.putObject("publicIPAddress").put("id", FakeWorld.publicIpId(vm, nic, config));
      } else {
        ipProperties.remove("publicIPAddress");
      }
      ipProperties.put("primary", config.primary());
      ipConfigurations.add(ip);
    }
    properties.put("primary", nic.primary());
    properties.putObject("virtualMachine").put("id", vm.id());
    return node;
  }

  private List<ObjectNode> publicIps(String subscription, String group) {
    List<ObjectNode> ips = new ArrayList<>();
    // Azure's example of an unallocated dynamic IP (no ipAddress), in each subscription's rg-other.
    ObjectNode unallocated = templates.publicIp.deepCopy();
    unallocated.put("name", "unallocated-ip");
    unallocated.put(
        "id",
        "/subscriptions/"
            + subscription
            + "/resourceGroups/"
            + FakeWorld.UNALLOCATED_IP_GROUP
            + "/providers/Microsoft.Network/publicIPAddresses/unallocated-ip");
    ((ObjectNode) unallocated.get("properties")).remove("ipAddress");
    if (group == null || group.equalsIgnoreCase(FakeWorld.UNALLOCATED_IP_GROUP)) {
      ips.add(unallocated);
    }
    for (FakeVm vm : world.vms) {
      for (FakeNic nic : vm.nics()) {
        if (!FakeWorld.inScope(
            vm.subscription(), FakeWorld.publicIpGroup(vm, nic), subscription, group)) {
          continue;
        }
        for (FakeIpConfig config : nic.ipConfigs()) {
          config
              .publicIp()
              .ifPresent(
                  address -> {
                    ObjectNode node = templates.publicIp.deepCopy();
                    node.put("id", FakeWorld.publicIpId(vm, nic, config));
                    node.put("name", nic.name() + "-" + config.name() + "-pip");
                    node.put("location", vm.location());
                    ObjectNode properties = (ObjectNode) node.get("properties");
                    properties.put("ipAddress", address);
                    properties.remove("dnsSettings");
                    properties
                        .putObject("ipConfiguration")
                        .put("id", FakeWorld.nicId(vm, nic) + "/ipConfigurations/" + config.name());
                    ips.add(node);
                  });
        }
      }
    }
    return ips;
  }

  private ObjectNode scaleSetNic(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    ObjectNode node = templates.scaleSetNic.deepCopy();
    String nicId = FakeWorld.scaleSetNicId(ss, instance);
    node.put("id", nicId);
    node.put("name", ss.name() + "-nic");
    ObjectNode properties = (ObjectNode) node.get("properties");
    ObjectNode ip = (ObjectNode) properties.get("ipConfigurations").get(0);
    ip.put("name", "ipconfig1");
    ip.put("id", nicId + "/ipConfigurations/ipconfig1");
    ObjectNode ipProperties = (ObjectNode) ip.get("properties");
    ipProperties.put("privateIPAddress", instance.privateIp());
    ipProperties.remove("loadBalancerInboundNatRules");
    if (instance.publicIp() != null) {
      ipProperties
          .putObject("publicIPAddress")
          .put("id", FakeWorld.scaleSetPublicIpId(ss, instance));
    } else {
      ipProperties.remove("publicIPAddress");
    }
    properties.putObject("virtualMachine").put("id", FakeWorld.scaleSetVmId(ss, instance));
    return node;
  }

  private ObjectNode scaleSetPublicIp(FakeScaleSet ss, FakeScaleSet.Instance instance) {
    ObjectNode node = templates.publicIp.deepCopy();
    node.put("id", FakeWorld.scaleSetPublicIpId(ss, instance));
    node.put("name", "pub1");
    node.put("location", ss.location());
    ObjectNode properties = (ObjectNode) node.get("properties");
    properties.put("ipAddress", instance.publicIp());
    properties.remove("dnsSettings");
    properties
        .putObject("ipConfiguration")
        .put("id", FakeWorld.scaleSetNicId(ss, instance) + "/ipConfigurations/ipconfig1");
    return node;
  }
}
