package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Azure's own REST examples, loaded once, each reduced to the resource object the fake copies and
 * fills in. Keeping Azure's shapes (with their many unrelated fields and explicit nulls) is what
 * makes the fake catch SDK parsing surprises.
 */
final class ArmTemplates {
  private static final ObjectMapper JSON = new ObjectMapper();

  final ObjectNode vm =
      firstValue("compute-2024-11-01-VirtualMachine_ListBySubscription_ByLocation");
  final ObjectNode vmInstanceView = body("compute-2024-11-01-VirtualMachine_Get_InstanceView");
  final ObjectNode scaleSetVmInstanceView =
      body(
          "compute-2024-11-01-VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup");
  final ObjectNode nic = firstValue("network-2024-05-01-NetworkInterfaceListAll");
  final ObjectNode scaleSetNic = firstValue("network-2024-07-01-VmssNetworkInterfaceList");
  // The second example entry has an allocated ipAddress; the first is an unallocated dynamic IP.
  final ObjectNode publicIp = valueAt("network-2025-05-01-PublicIpAddressListAll", 1);

  private static ObjectNode firstValue(String name) {
    return valueAt(name, 0);
  }

  private static ObjectNode valueAt(String name, int index) {
    return (ObjectNode) body(name).get("value").get(index);
  }

  private static ObjectNode body(String name) {
    String resource = name + ".json";
    try (InputStream in = ArmTemplates.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing fake ARM template " + resource);
      }
      JsonNode example = JSON.readTree(in);
      return (ObjectNode) example.path("responses").path("200").path("body");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fake ARM template " + resource, e);
    }
  }
}
