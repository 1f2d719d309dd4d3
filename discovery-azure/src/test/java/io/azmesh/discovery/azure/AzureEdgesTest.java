package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.testing.FakeScaleSet;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Azure's documented edges (issue 23): what a real fleet does that a tidy one does not. Each
 * scenario is a behaviour of the strict fake that Azure documents.
 */
class AzureEdgesTest extends FakeArmTest {
  private static final String GROUP = "/subscriptions/" + SUB_A + "/resourceGroups/rg-app";

  /** Reader on rg-app only: power states from Resource Graph. */
  private AzureDiscoveryConfig groupScope() {
    fake.readableScopes(GROUP);
    return connection.config().resourceGroup("rg-app").build();
  }

  private void addVms(int count) {
    IntStream.range(0, count)
        .forEach(
            i ->
                fake.add(
                    FakeVm.builder(SUB_A, "rg-app", String.format("web-%02d", i))
                        .privateIp("10.0." + (i / 200) + "." + (4 + i % 200))
                        .build()));
  }

  /** No request names one VM: every call is a listing or a Resource Graph query. */
  private void assertNoPerVmCalls() {
    assertThat(fake.armRequests())
        .extracting(RecordedRequest::path)
        .noneMatch(path -> path.matches("(?i).*/virtualMachines/[^/]+$"));
  }

  @Test
  void discover_runningVmsWhoseLastOperationFailedKeepServingWithANote() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "web-0")
            .privateIp("10.0.0.4")
            .provisioningState("Failed")
            .build(),
        FakeVm.builder(SUB_A, "rg", "web-1")
            .privateIp("10.0.0.5")
            .provisioningState("Deleting")
            .build());
    fake.add(
        FakeScaleSet.uniform(
            SUB_A,
            "rg",
            "api",
            Map.of(),
            List.of(FakeScaleSet.Instance.running("0", "10.1.0.4").provisioning("Failed"))));

    Discovery discovery = discover(connection.config().build());

    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::powerState)
        .containsExactly(tuple("web-0", PowerState.RUNNING), tuple("api_0", PowerState.RUNNING));
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "web-0: provisioning state is 'Failed', its last operation failed; served by its"
                + " power state",
            "web-1: provisioning state is 'Deleting', not served until it is Succeeded",
            "api_0: provisioning state is 'Failed', its last operation failed; served by its"
                + " power state");
    assertNoPerVmCalls();
  }

  @Test
  void discover_resourceGraphPagesInAnyOrderStillGiveEveryPowerState() throws Exception {
    addVms(25);
    fake.resourceGraphPageSize(10);

    Discovery discovery = discover(groupScope());

    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.instances()).hasSize(25).allMatch(i -> i.powerState().isServing());
    assertThat(fake.armRequests()).filteredOn(RecordedRequest::isResourceGraph).hasSize(3);
    assertNoPerVmCalls();
  }

  @Test
  void discover_aPowerStateMissingOnceIsReadAgainWithinTheRefresh() throws Exception {
    addVms(3);
    fake.powerStateGap("web-01", 1);

    Discovery discovery = discover(connection.config().build());

    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::powerState)
        .contains(tuple("web-01", PowerState.RUNNING));
    assertThat(fake.armRequests())
        .filteredOn(r -> r.query().contains("statusOnly=true"))
        .hasSize(2);
    assertNoPerVmCalls();
  }

  @Test
  void discover_aPowerStateStillMissingKeepsTheLastKnownForBoundedRefreshes() throws Exception {
    addVms(2);
    AzureDiscoveryConfig config = groupScope();
    try (AzureDiscoveryProvider provider = connection.provider(config)) {
      assertThat(provider.discover().problems()).isEmpty();
      fake.powerStateGap("web-01", Integer.MAX_VALUE);

      for (int refresh = 1; refresh <= PowerStateMemory.REFRESHES; refresh++) {
        Discovery discovery = provider.discover();
        assertThat(discovery.instances())
            .extracting(Instance::name, Instance::powerState)
            .containsExactly(
                tuple("web-00", PowerState.RUNNING), tuple("web-01", PowerState.RUNNING));
        assertThat(discovery.problems())
            .extracting(Problem::message)
            .containsExactly(
                "web-01: power state is missing, Azure Resource Graph has none for it; serving the"
                    + " last known 'running' ("
                    + refresh
                    + " of "
                    + PowerStateMemory.REFRESHES
                    + " refreshes)");
      }
      Discovery drained = provider.discover();
      assertThat(drained.instances()).extracting(Instance::name).containsExactly("web-00");
      assertThat(drained.problems())
          .extracting(Problem::message)
          .singleElement()
          .asString()
          .startsWith("web-01: power state is missing, Azure Resource Graph has none for it");
    }
    assertNoPerVmCalls();
  }

  @Test
  void discover_resourceGraphPagesArePacedByTheUserQuota() throws Exception {
    addVms(30);
    fake.resourceGraphPageSize(10);
    fake.resourceGraphQuota(2, Duration.ofSeconds(1));

    Discovery discovery = discover(groupScope());

    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.instances()).hasSize(30);
    assertThat(fake.armRequests()).filteredOn(RecordedRequest::isResourceGraph).hasSize(3);
  }

  @Test
  void discover_resourceGraphThrottlingBacksOffUntilTheQuotaResets() throws Exception {
    addVms(1);
    fake.resourceGraphQuota(0, Duration.ofMinutes(10));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    AzureDiscoveryConfig config = groupScope();

    try (AzureDiscoveryProvider provider = connection.provider(config, clock)) {
      assertThatThrownBy(provider::discover)
          .isInstanceOfSatisfying(
              DiscoveryException.class,
              e -> {
                assertThat(e.causeLabel()).isEqualTo("throttled");
                assertThat(e.getMessage())
                    .contains("POST /providers/Microsoft.ResourceGraph/resources")
                    .contains("x-ms-user-quota-resets-after");
              });
      int calls = fake.armRequests().size();

      clock.advance(Duration.ofMinutes(5));
      assertThatThrownBy(provider::discover)
          .isInstanceOfSatisfying(
              DiscoveryException.class,
              e -> assertThat(e.getMessage()).contains("so this refresh made none"));
      assertThat(fake.armRequests()).hasSize(calls);
    }
  }

  @Test
  void discover_reportsEachAnnouncedBudgetByItsPolicyName() throws Exception {
    addVms(1);
    fake.rateLimitRemaining(500, 30);

    Discovery discovery = discover(connection.config().build());

    // VMs, power states and scale sets are Compute listings; NICs only ARM's.
    assertThat(discovery.stats().rateLimitBudgets())
        .containsEntry("subscription-reads", 496L)
        .containsEntry("Microsoft.Compute/HighCostGet3Min", 27L)
        .containsEntry("Microsoft.Compute/HighCostGet30Min", 1196L)
        .doesNotContainKey("resource-graph-user-quota");

    fake.clearRequests();
    Discovery graph = discover(groupScope());
    assertThat(graph.stats().rateLimitBudgets()).containsEntry("resource-graph-user-quota", 14L);
  }

  @Test
  void discover_noResourceGraphRowsForListedVmsFailsAsAuthSayingWhatToCheck() {
    addVms(3);
    fake.resourceGraphWithoutAccess();

    assertThatThrownBy(() -> discover(groupScope()))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("auth");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "ARM lists 3 VMs in resource group rg-app of subscription "
                          + SUB_A
                          + " but Azure Resource Graph returned no rows at all: it cannot see"
                          + " them yet. Check that the identity's Reader role assignment covers"
                          + " the scope (a new assignment can take a while to reach Resource"
                          + " Graph), or set discovery-mode list-all with Reader on the"
                          + " subscription");
            });
  }

  @Test
  void discover_flexibleVmsMatchOnTheirScaleSetsTagsAndTheirOwnWin() throws Exception {
    fake.add(
        FakeScaleSet.flexible(
            SUB_A, "rg", "flex", Map.of("mesh-service", "api", "env", "prod", "owner", "team")));
    fake.add(
        FakeVm.builder(SUB_A, "rg", "flex_1")
            .flexibleScaleSet("flex")
            .privateIp("10.3.0.4")
            .build(),
        FakeVm.builder(SUB_A, "rg", "flex_2")
            .flexibleScaleSet("flex")
            .tags(Map.of("env", "canary"))
            .privateIp("10.3.0.5")
            .build(),
        FakeVm.builder(SUB_A, "rg", "alone").privateIp("10.3.0.6").build());
    TagFilter filter = new TagFilter(List.of(TagCondition.parse("tag", "mesh-service")), List.of());

    Discovery discovery = discover(connection.config().tags(filter).build());

    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::tags)
        .containsExactly(
            tuple("flex_1", Map.of("mesh-service", "api", "env", "prod", "owner", "team")),
            tuple("flex_2", Map.of("mesh-service", "api", "env", "canary", "owner", "team")));
    assertNoPerVmCalls();
  }

  @Test
  void discover_truncatedResourceGraphAnswerFailsTheRefresh() {
    addVms(15);
    fake.resourceGraphPageSize(10);
    fake.resourceGraphTruncates();

    assertThatThrownBy(() -> discover(groupScope()))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("azure-error");
              assertThat(e.getMessage())
                  .startsWith(
                      "Azure Resource Graph answered 10 of 15 rows with resultTruncated and no"
                          + " $skipToken: the answer is incomplete, so this refresh fails rather"
                          + " than drain the VMs it left out; ");
            });
  }
}
