package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeScaleSet;
import io.azmesh.discovery.azure.testing.FakeVm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The stated bound: {@code requests <= 5 * subscriptions + 3 * uniformScaleSets + extraPages}. */
class CallBudgetTest {
  private static final int PAGE_SIZE = 1000;
  private static final Pattern LISTING =
      Pattern.compile(
          "^/subscriptions/[^/]+(/resourceGroups/[^/]+/providers/Microsoft\\.Compute/virtualMachineScaleSets/[^/]+/(virtualMachines|networkInterfaces|publicIPAddresses)"
              + "|/providers/Microsoft\\.(Compute/virtualMachines|Compute/virtualMachineScaleSets|Network/networkInterfaces|Network/publicIPAddresses))$",
          Pattern.CASE_INSENSITIVE);

  @Test
  void discover_2500VmsAcrossPagesStayWithinTheCallBudget() throws Exception {
    int vmCount = 2500;
    List<FakeVm> vms = new ArrayList<>();
    for (int i = 0; i < vmCount; i++) {
      FakeVm.Builder vm =
          FakeVm.builder(SUB_A, "rg-" + (i % 7), "vm-" + i).tags(Map.of("mesh-service", "web"));
      String privateIp = "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
      vms.add(
          (i % 10 == 0
                  ? vm.publicIp(privateIp, "20.0." + (i / 256) + "." + (i % 256))
                  : vm.privateIp(privateIp))
              .build());
    }
    List<FakeScaleSet> scaleSets =
        List.of(
            scaleSet("ss-public", "20.1.0."),
            scaleSet("ss-private-1", null),
            scaleSet("ss-private-2", null));

    try (FakeArm fake = FakeArm.start().pageSize(PAGE_SIZE)) {
      fake.add(vms.toArray(FakeVm[]::new));
      fake.add(scaleSets.toArray(FakeScaleSet[]::new));
      fake.add(FakeScaleSet.flexible(SUB_A, "rg-flex", "flex", Map.of()));
      FakeArmConnection connection = new FakeArmConnection(fake);

      Discovery discovery;
      try (AzureDiscoveryProvider provider = connection.provider(connection.config().build())) {
        discovery = provider.discover();
      }

      assertThat(discovery.instances()).hasSize(vmCount + 3 * 4);
      assertThat(discovery.problems()).isEmpty();
      int publicIps = vmCount / 10 + 1; // the fake also lists one unallocated public IP
      int extraPages =
          3 * (pages(vmCount) - 1) // VMs, power states, NICs
              + (pages(publicIps) - 1)
              + (pages(scaleSets.size() + 1) - 1);
      int bound = 5 * 1 + 3 * scaleSets.size() + extraPages;
      // Private-only scale sets skip their public IP listing, so 2 calls fewer than the bound.
      assertThat(discovery.stats().apiCalls()).isEqualTo(bound - 2).isEqualTo(18);
      assertThat(fake.armRequests()).hasSize(discovery.stats().apiCalls());
      assertThat(fake.armRequests())
          .allSatisfy(r -> assertThat(LISTING.matcher(r.path()).matches()).as(r.path()).isTrue())
          .noneMatch(r -> r.path().contains("/virtualMachines/vm-"));
    }
  }

  private static FakeScaleSet scaleSet(String name, String publicPrefix) {
    List<FakeScaleSet.Instance> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(
          new FakeScaleSet.Instance(
              Integer.toString(i),
              null,
              "running",
              "10.200." + name.length() + "." + i,
              publicPrefix == null ? null : publicPrefix + i));
    }
    return FakeScaleSet.uniform(SUB_A, "rg-ss", name, Map.of("mesh-service", name), instances);
  }

  private static int pages(int items) {
    return Math.max(1, (items + PAGE_SIZE - 1) / PAGE_SIZE);
  }
}
