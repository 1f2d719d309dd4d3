package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static io.azmesh.discovery.azure.FakeArmConnection.SUB_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryScope;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeIpConfig;
import io.azmesh.discovery.azure.testing.FakeNic;
import io.azmesh.discovery.azure.testing.FakeScaleSet;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.RecordedRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An identity with Reader on resource groups only (what the Terraform control-plane module grants):
 * with {@code resource-group} settings every listing is made in those groups, so discovery works;
 * without them the subscription-wide listing is refused and the failure says what to do.
 */
class LeastPrivilegeTest extends FakeArmTest {
  private static final String GROUP_A = "/subscriptions/" + SUB_A + "/resourceGroups/rg-app";
  private static final String GROUP_B = "/subscriptions/" + SUB_B + "/resourceGroups/rg-edge";
  private static final String VMS = "/providers/Microsoft.Compute/virtualMachines";

  private List<String> armPaths() {
    return fake.armRequests().stream().map(RecordedRequest::path).toList();
  }

  @ParameterizedTest
  @EnumSource(FakeArm.ExpandWithoutFilter.class)
  void discover_readerOnOneResourceGroupReadsPowerStatesFromResourceGraphWithoutPerVmCalls(
      FakeArm.ExpandWithoutFilter expandMode) throws Exception {
    fake.expandWithoutFilter(expandMode);
    fake.readableScopes(GROUP_A);
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0").publicIp("10.0.0.4", "20.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-app", "web-1")
            .privateIp("10.0.0.5")
            .powerState("stopped")
            .build(),
        FakeVm.builder(SUB_A, "rg-app", "web-2")
            .privateIp("10.0.0.6")
            .powerState("deallocated")
            .build(),
        FakeVm.builder(SUB_A, "rg-app", "web-3")
            .privateIp("10.0.0.7")
            .powerState("starting")
            .build(),
        FakeVm.builder(SUB_A, "rg-unreadable", "db-0").privateIp("10.9.0.4").build());
    fake.add(
        FakeScaleSet.uniform(
            SUB_A,
            "rg-app",
            "api",
            Map.of("mesh-service", "api"),
            List.of(FakeScaleSet.Instance.running("0", "10.0.1.4"))));

    Discovery discovery = discover(connection.config().resourceGroup("rg-app").build());

    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::privateIp, Instance::publicIp, Instance::powerState)
        .containsExactly(
            tuple("web-0", "10.0.0.4", Optional.of("20.0.0.4"), PowerState.RUNNING),
            tuple("web-1", "10.0.0.5", Optional.empty(), PowerState.STOPPED),
            tuple("web-2", "10.0.0.6", Optional.empty(), PowerState.DEALLOCATED),
            tuple("web-3", "10.0.0.7", Optional.empty(), PowerState.STARTING),
            tuple("api_0", "10.0.1.4", Optional.empty(), PowerState.RUNNING));
    String scaleSet = GROUP_A + "/providers/Microsoft.Compute/virtualMachineScaleSets/api";
    assertThat(armPaths())
        .containsExactly(
            GROUP_A + VMS,
            "/providers/Microsoft.ResourceGraph/resources",
            GROUP_A + "/providers/Microsoft.Network/networkInterfaces",
            GROUP_A + "/providers/Microsoft.Network/publicIPAddresses",
            GROUP_A + "/providers/Microsoft.Compute/virtualMachineScaleSets",
            scaleSet + "/virtualMachines",
            // The Network spec spells this path's namespace in lower case; ARM ignores case.
            scaleSet.replace("Microsoft.Compute", "microsoft.Compute") + "/networkInterfaces");
    assertThat(fake.armRequests().get(0).query()).doesNotContain("expand");
    // Bound: 4 per resource-group scope + 1 Resource Graph page + 3 per uniform scale set; the
    // scale set has no public IPs, so its public IP listing is skipped.
    int bound = 4 * 1 + 1 + 3 * 1;
    assertThat(discovery.stats().apiCalls()).isEqualTo(bound - 1).isEqualTo(armPaths().size());
  }

  @Test
  void discover_vmResourceGraphHasNotIndexedYetIsANamedProblemUntilItCatchesUp() throws Exception {
    fake.readableScopes(GROUP_A);
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-app", "web-new").privateIp("10.0.0.5").build());
    fake.resourceGraphLags("web-new", null);
    AzureDiscoveryConfig config = connection.config().resourceGroup("rg-app").build();

    try (AzureDiscoveryProvider provider = connection.provider(config)) {
      Discovery lagging = provider.discover();
      fake.resourceGraphCaughtUp();
      Discovery caughtUp = provider.discover();

      assertThat(lagging.instances()).extracting(Instance::name).containsExactly("web-0");
      assertThat(lagging.problems())
          .extracting(Problem::message)
          .containsExactly(
              "web-new: power state is missing, Azure Resource Graph has none for it yet (its"
                  + " index lags ARM, most often by seconds); not served until it has");
      assertThat(caughtUp.instances())
          .extracting(Instance::name)
          .containsExactly("web-0", "web-new");
      assertThat(caughtUp.problems()).isEmpty();
    }
  }

  @Test
  void discover_explicitListAllModeInAResourceGroupNeedsReaderOnTheSubscription() {
    fake.readableScopes(GROUP_A);
    fake.add(FakeVm.builder(SUB_A, "rg-app", "web-0").privateIp("10.0.0.4").build());

    assertThatThrownBy(
            () ->
                discover(
                    connection
                        .config()
                        .resourceGroup("rg-app")
                        .mode(DiscoveryMode.LIST_ALL)
                        .build()))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("auth");
              assertThat(e.getMessage())
                  .startsWith(
                      "the identity may not read GET /subscriptions/"
                          + SUB_A
                          + VMS
                          + " (HTTP 403 AuthorizationFailed)");
            });
  }

  @Test
  void discover_nicAndPublicIpInOtherReadableGroupsAreFound() throws Exception {
    fake.readableScopes(GROUP_A, "/subscriptions/" + SUB_A + "/resourceGroups/rg-net");
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0")
            .nics(
                FakeNic.primary("web-0-nic", FakeIpConfig.withPublic("10.0.0.4", "20.0.0.4"))
                    .inResourceGroup("rg-net"))
            .build());

    Discovery discovery = discover(connection.config().resourceGroup("rg-app").build());

    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::privateIp, Instance::publicIp)
        .containsExactly(tuple("web-0", "10.0.0.4", Optional.of("20.0.0.4")));
    // The other group is listed once for its NICs and once for its public IPs.
    assertThat(armPaths())
        .filteredOn(path -> path.toLowerCase(Locale.ROOT).contains("/rg-net/"))
        .hasSize(2)
        .allSatisfy(
            path ->
                assertThat(path)
                    .containsIgnoringCase("/resourceGroups/rg-net/providers/Microsoft.Network/"));
  }

  @Test
  void discover_nicInAnUnreadableGroupIsAProblemNamingTheNicAndThePermission() throws Exception {
    fake.readableScopes(GROUP_A);
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0")
            .nics(
                FakeNic.primary("web-0-nic", FakeIpConfig.privateOnly("10.0.0.4"))
                    .inResourceGroup("rg-net"))
            .build(),
        FakeVm.builder(SUB_A, "rg-app", "web-1").privateIp("10.0.0.5").build());

    Discovery discovery = discover(connection.config().resourceGroup("rg-app").build());

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("web-1");
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "web-0: network interface is '/subscriptions/"
                + SUB_A
                + "/resourcegroups/rg-net/providers/microsoft.network/networkinterfaces/web-0-nic',"
                + " in resource group rg-net, which the identity may not read: it needs"
                + " Microsoft.Network/networkInterfaces/read there (the Reader role on the group)");
  }

  @Test
  void discover_publicIpInAnUnreadableGroupIsAProblemAndTheVmIsServedWithoutIt() throws Exception {
    fake.readableScopes(GROUP_A);
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0")
            .nics(
                FakeNic.primary("web-0-nic", FakeIpConfig.withPublic("10.0.0.4", "20.0.0.4"))
                    .withPublicIpsIn("rg-edge"))
            .build());

    Discovery discovery = discover(connection.config().resourceGroup("rg-app").build());

    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::privateIp, Instance::publicIp)
        .containsExactly(tuple("web-0", "10.0.0.4", Optional.empty()));
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "web-0: public IP is '/subscriptions/"
                + SUB_A
                + "/resourcegroups/rg-edge/providers/microsoft.network/publicipaddresses/"
                + "web-0-nic-ipconfig1-pip', in resource group rg-edge, which the identity may not"
                + " read: it needs Microsoft.Network/publicIPAddresses/read there (the Reader role"
                + " on the group); served without a public IP");
  }

  @Test
  void discover_withoutResourceGroupTheRefusedSubscriptionListingIsAnAuthFailure() {
    fake.readableScopes(GROUP_A);
    fake.add(FakeVm.builder(SUB_A, "rg-app", "web-0").privateIp("10.0.0.4").build());

    assertThatThrownBy(() -> discover(connection.config().build()))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("auth");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the identity may not read GET /subscriptions/"
                          + SUB_A
                          + VMS
                          + " (HTTP 403 AuthorizationFailed); grant it the Reader role on"
                          + " subscription "
                          + SUB_A
                          + ", or, if it has Reader only on resource groups, name them with"
                          + " --resource-group so that each is listed on its own; "
                          + connection.lastIds());
            });
    // A 403 is not retried.
    assertThat(armPaths()).containsExactly("/subscriptions/" + SUB_A + VMS);
  }

  @Test
  void discover_resourceGroupWithoutReaderNamesTheGroup() throws Exception {
    fake.readableScopes(GROUP_A);
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-data", "db-0").privateIp("10.0.2.4").build());

    // Fail-static per scope: the readable group is served, the refused one is its Problem.
    Discovery discovery =
        discover(connection.config().resourceGroup("rg-app").resourceGroup("rg-data").build());

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("web-0");
    DiscoveryScope refused = discovery.scopes().get(1);
    assertThat(refused.scope()).isEqualTo("resource group rg-data of subscription " + SUB_A);
    assertThat(refused.cause()).contains("auth");
    assertThat(refused.message())
        .contains(
            "the identity may not read GET /subscriptions/"
                + SUB_A
                + "/resourceGroups/rg-data"
                + VMS
                + " (HTTP 403 AuthorizationFailed); grant it the Reader role on"
                + " resource group rg-data of subscription "
                + SUB_A
                + " (or on the subscription); "
                + connection.lastIds());
    assertThat(discovery.problems())
        .extracting(Problem::subject)
        .containsExactly("resource group rg-data of subscription " + SUB_A);
  }

  @Test
  void discover_unqualifiedGroupRefusedInTheOtherSubscriptionHintsAtTheQualifiedForm()
      throws Exception {
    fake.readableScopes(GROUP_A);
    fake.add(FakeVm.builder(SUB_A, "rg-app", "app-0").privateIp("10.0.0.4").build());

    Discovery discovery =
        discover(connection.config().subscription(SUB_B).resourceGroup("rg-app").build());

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("app-0");
    assertThat(discovery.scopes().get(1).message())
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .isEqualTo(
                        "the identity may not read GET /subscriptions/"
                            + SUB_B
                            + "/resourceGroups/rg-app"
                            + VMS
                            + " (HTTP 403 AuthorizationFailed); grant it the Reader role on"
                            + " resource group rg-app of subscription "
                            + SUB_B
                            + " (or on the subscription), or, if the group is in another"
                            + " subscription only, give it as --resource-group"
                            + " <subscription-id>/rg-app; "
                            + connection.lastIds()));
  }

  @Test
  void discover_resourceGroupsInTwoSubscriptionsEachListedInItsOwn() throws Exception {
    fake.readableScopes(GROUP_A, GROUP_B);
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "app-0").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-edge", "not-in-scope-a").privateIp("10.0.9.4").build(),
        FakeVm.builder(SUB_B, "rg-edge", "edge-0").publicIp("10.1.0.4", "20.1.0.4").build(),
        FakeVm.builder(SUB_B, "rg-app", "not-in-scope-b").privateIp("10.1.9.4").build());

    Discovery discovery =
        discover(
            connection
                .config()
                .subscription(SUB_B)
                .resourceGroup(SUB_A + "/rg-app")
                .resourceGroup(SUB_B + "/rg-edge")
                .build());

    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("app-0", "edge-0");
    assertThat(armPaths())
        .allSatisfy(
            path ->
                assertThat(path)
                    .satisfiesAnyOf(
                        p -> assertThat(p).startsWith(GROUP_A + "/providers/"),
                        p -> assertThat(p).startsWith(GROUP_B + "/providers/"),
                        p ->
                            assertThat(p)
                                .isEqualTo("/providers/Microsoft.ResourceGraph/resources")));
    // 4 per resource-group scope and 1 Resource Graph query for both, no scale sets; only rg-edge
    // has a public IP to list.
    assertThat(discovery.stats().apiCalls()).isEqualTo(4 * 2 + 1 - 1).isEqualTo(armPaths().size());
  }

  @Test
  void discover_resourceGroupMissingInASubscriptionIsAProblemNotAFailure() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "app-0").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_B, "rg-app", "app-1").privateIp("10.1.0.4").build(),
        FakeVm.builder(SUB_B, "rg-edge", "edge-0").privateIp("10.1.1.4").build());

    Discovery discovery =
        discover(
            connection
                .config()
                .subscription(SUB_B)
                .resourceGroup("rg-app")
                .resourceGroup("rg-edge")
                .build());

    assertThat(discovery.instances())
        .extracting(Instance::name)
        .containsExactly("app-0", "app-1", "edge-0");
    assertThat(discovery.problems())
        .containsExactly(
            Problem.of(
                SUB_A + "/rg-edge",
                "resource group",
                "rg-edge",
                "not found in subscription " + SUB_A));
    // The missing group costs its one refused listing and nothing more.
    assertThat(armPaths())
        .filteredOn(path -> path.contains("/resourceGroups/rg-edge/"))
        .filteredOn(path -> path.startsWith("/subscriptions/" + SUB_A))
        .containsExactly("/subscriptions/" + SUB_A + "/resourceGroups/rg-edge" + VMS);
  }
}
