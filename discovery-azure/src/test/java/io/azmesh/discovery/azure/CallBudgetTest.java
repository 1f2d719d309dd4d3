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

/**
 * The stated bound: {@code requests <= 5 * subscriptionScopes + 4 * resourceGroupScopes + 3 *
 * uniformScaleSets + extraPages}, never a call per VM.
 */
class CallBudgetTest {
  private static final int PAGE_SIZE = 1000;
  private static final int VM_COUNT = 2500;
  private static final List<String> STATES =
      List.of("running", "stopped", "deallocated", "starting");
  // What the fake's deterministic 50-300 page sizes add up to; the bound is what matters.
  private static final int MEASURED_2500_IN_ONE_GROUP = 39;
  private static final Pattern LISTING =
      Pattern.compile(
          "^/subscriptions/[^/]+(/resourceGroups/[^/]+/providers/Microsoft\\.Compute/virtualMachineScaleSets/[^/]+/(virtualMachines|networkInterfaces|publicIPAddresses)"
              + "|(/resourceGroups/[^/]+)?/providers/Microsoft\\.(Compute/virtualMachines|Compute/virtualMachineScaleSets|Network/networkInterfaces|Network/publicIPAddresses))$",
          Pattern.CASE_INSENSITIVE);
  private static final String GROUP_LISTING =
      "(?i)/subscriptions/" + SUB_A + "/resourceGroups/(rg-0|rg-1|rg-ss)/providers/.+";

  @Test
  void discover_2500VmsAcrossPagesStayWithinTheCallBudget() throws Exception {
    List<FakeScaleSet> scaleSets = uniformScaleSets();

    try (FakeArm fake = FakeArm.start().pageSize(PAGE_SIZE)) {
      addWorld(fake, scaleSets);
      FakeArmConnection connection = new FakeArmConnection(fake);

      Discovery discovery = connection.discover(connection.config().build());

      assertThat(discovery.instances()).hasSize(VM_COUNT + 3 * 4);
      assertThat(discovery.problems()).isEmpty();
      int publicIps = VM_COUNT / 10 + 1; // the fake also lists one unallocated public IP
      int extraPages =
          3 * (pages(VM_COUNT, PAGE_SIZE) - 1) // VMs, power states, NICs
              + (pages(publicIps, PAGE_SIZE) - 1)
              + (pages(scaleSets.size() + 1, PAGE_SIZE) - 1);
      int bound = 5 * 1 + 3 * scaleSets.size() + extraPages;
      // Private-only scale sets skip their public IP listing, so 2 calls fewer than the bound.
      assertThat(discovery.stats().apiCalls()).isEqualTo(bound - 2).isEqualTo(18);
      assertThat(fake.armRequests()).hasSize(discovery.stats().apiCalls());
      assertThat(fake.armRequests())
          .allSatisfy(r -> assertThat(LISTING.matcher(r.path()).matches()).as(r.path()).isTrue())
          .noneMatch(r -> r.path().contains("/virtualMachines/vm-"));
    }
  }

  @Test
  void discover_resourceGroupScopesWithReaderOnlyThereStayWithinTheCallBudget() throws Exception {
    int pageSize = 100;
    List<FakeScaleSet> scaleSets = uniformScaleSets();

    try (FakeArm fake = FakeArm.start().pageSize(pageSize)) {
      addWorld(fake, scaleSets);
      String subscription = "/subscriptions/" + SUB_A + "/resourceGroups/";
      fake.readableScopes(subscription + "rg-0", subscription + "rg-1", subscription + "rg-ss");
      FakeArmConnection connection = new FakeArmConnection(fake);

      Discovery discovery =
          connection.discover(
              connection
                  .config()
                  .resourceGroup("rg-0")
                  .resourceGroup("rg-1")
                  .resourceGroup("rg-ss")
                  .build());

      // VM i is in rg-(i % 7) and has a public IP when i % 10 == 0.
      int inRg0 = (VM_COUNT + 6) / 7;
      int inRg1 = (VM_COUNT + 5) / 7;
      assertThat(discovery.instances()).hasSize(inRg0 + inRg1 + 3 * 4);
      assertThat(discovery.problems()).isEmpty();
      int extraPages =
          2 * (pages(inRg0, pageSize) - 1) // VMs with instance view, NICs of rg-0
              + 2 * (pages(inRg1, pageSize) - 1);
      int scopes = 3;
      int graphPages = pages(inRg0 + inRg1, PowerStates.GRAPH_PAGE);
      int bound = 4 * scopes + graphPages + 3 * scaleSets.size() + extraPages;
      // Skipped: the public IP listing of rg-ss (no VM NIC there has one) and of the two
      // private-only scale sets.
      assertThat(discovery.stats().apiCalls()).isEqualTo(bound - 3).isEqualTo(31);
      assertThat(fake.armRequests()).hasSize(discovery.stats().apiCalls());
      assertThat(fake.armRequests())
          .allSatisfy(
              r -> {
                if (!r.isResourceGraph()) {
                  assertThat(LISTING.matcher(r.path()).matches()).as(r.path()).isTrue();
                  assertThat(r.path()).matches(GROUP_LISTING);
                }
              })
          .noneMatch(r -> r.path().contains("/virtualMachines/vm-"));
    }
  }

  @Test
  void discover_2500VmsInOneResourceGroupWithReaderOnlyThereInAzuresPageSizes() throws Exception {
    // The fake's default pages: 50 to 300 items, as Compute sends them.
    try (FakeArm fake = FakeArm.start()) {
      for (int i = 0; i < VM_COUNT; i++) {
        String privateIp = "10.0." + (i / 256) + "." + (i % 256);
        FakeVm.Builder vm =
            FakeVm.builder(SUB_A, "rg-big", "vm-" + i)
                .powerState(STATES.get(i % STATES.size()))
                .tags(Map.of("mesh-service", "web"));
        fake.add(
            (i % 10 == 0
                    ? vm.publicIp(privateIp, "20.0." + (i / 256) + "." + (i % 256))
                    : vm.privateIp(privateIp))
                .build());
      }
      fake.add(FakeVm.builder(SUB_A, "rg-other", "elsewhere").privateIp("10.9.0.4").build());
      fake.readableScopes("/subscriptions/" + SUB_A + "/resourceGroups/rg-big");
      FakeArmConnection connection = new FakeArmConnection(fake);

      Discovery discovery =
          connection.discover(connection.config().resourceGroup("rg-big").build());

      assertThat(discovery.problems()).isEmpty();
      assertThat(discovery.instances()).hasSize(VM_COUNT);
      assertThat(discovery.instances())
          .filteredOn(i -> i.name().equals("vm-3"))
          .singleElement()
          .satisfies(i -> assertThat(i.powerState().code()).isEqualTo(STATES.get(3)));
      // Documented bound, with every ARM page at Compute's smallest (50) and Resource Graph's
      // 1,000 rows a page: VMs, NICs, public IPs (every tenth VM has one), scale sets, and the
      // power-state query.
      int publicIps = VM_COUNT / 10;
      int bound =
          pages(VM_COUNT, 50)
              + pages(VM_COUNT, 50)
              + pages(publicIps, 50)
              + 1
              + pages(VM_COUNT, PowerStates.GRAPH_PAGE);
      assertThat(bound).isEqualTo(109);
      assertThat(discovery.stats().apiCalls())
          .isEqualTo(fake.armRequests().size())
          .isLessThanOrEqualTo(bound)
          .isEqualTo(MEASURED_2500_IN_ONE_GROUP);
      assertThat(fake.armRequests().stream().filter(r -> r.isResourceGraph()).count()).isEqualTo(3);
      assertThat(fake.armRequests())
          .allSatisfy(
              r ->
                  assertThat(r.isResourceGraph() || LISTING.matcher(r.path()).matches())
                      .as(r.path())
                      .isTrue())
          .noneMatch(r -> r.path().contains("/virtualMachines/vm-"));
    }
  }

  /** 2,500 VMs over rg-0..rg-6 (every tenth with a public IP), three uniform and a flexible set. */
  private static void addWorld(FakeArm fake, List<FakeScaleSet> uniform) {
    for (int i = 0; i < VM_COUNT; i++) {
      FakeVm.Builder vm =
          FakeVm.builder(SUB_A, "rg-" + (i % 7), "vm-" + i).tags(Map.of("mesh-service", "web"));
      String privateIp = "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
      fake.add(
          (i % 10 == 0
                  ? vm.publicIp(privateIp, "20.0." + (i / 256) + "." + (i % 256))
                  : vm.privateIp(privateIp))
              .build());
    }
    fake.add(uniform.toArray(FakeScaleSet[]::new));
    fake.add(FakeScaleSet.flexible(SUB_A, "rg-ss", "flex", Map.of()));
  }

  private static List<FakeScaleSet> uniformScaleSets() {
    return List.of(
        scaleSet("ss-public", "20.1.0."),
        scaleSet("ss-private-1", null),
        scaleSet("ss-private-2", null));
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

  private static int pages(int items, int pageSize) {
    return Math.max(1, (items + pageSize - 1) / pageSize);
  }
}
