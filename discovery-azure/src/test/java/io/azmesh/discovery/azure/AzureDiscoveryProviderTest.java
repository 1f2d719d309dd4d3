package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static io.azmesh.discovery.azure.FakeArmConnection.SUB_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.testing.FakeIpConfig;
import io.azmesh.discovery.azure.testing.FakeNic;
import io.azmesh.discovery.azure.testing.FakeScaleSet;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.Fault;
import io.azmesh.discovery.azure.testing.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureDiscoveryProviderTest extends FakeArmTest {
  private static final String VMS = "/providers/Microsoft.Compute/virtualMachines";
  private static final String NICS = "/providers/Microsoft.Network/networkInterfaces";

  private Discovery discover() throws DiscoveryException {
    return discover(connection.config().build());
  }

  private static Instance named(Discovery discovery, String name) {
    return discovery.instances().stream()
        .filter(i -> i.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no instance " + name + " in " + discovery));
  }

  @Test
  void discover_vmWithAndWithoutPublicIp() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0")
            .zone("2")
            .tags(Map.of("mesh-service", "web"))
            .publicIp("10.0.0.4", "20.1.2.3")
            .build(),
        FakeVm.builder(SUB_A, "rg-app", "web-1").privateIp("10.0.0.5").build());

    Discovery discovery = discover();

    assertThat(discovery.instances())
        .containsExactly(
            Instance.builder(
                    "/subscriptions/"
                        + SUB_A
                        + "/resourcegroups/rg-app/providers/microsoft.compute/virtualmachines/web-0",
                    "web-0",
                    "10.0.0.4")
                .publicIp("20.1.2.3")
                .location("westeurope")
                .zone("2")
                .powerState(PowerState.RUNNING)
                .kind(InstanceKind.VM)
                .tags(Map.of("mesh-service", "web"))
                .build(),
            Instance.builder(
                    "/subscriptions/"
                        + SUB_A
                        + "/resourcegroups/rg-app/providers/microsoft.compute/virtualmachines/web-1",
                    "web-1",
                    "10.0.0.5")
                .location("westeurope")
                .powerState(PowerState.RUNNING)
                .kind(InstanceKind.VM)
                .build());
    assertThat(discovery.problems()).isEmpty();
    assertThat(discovery.stats().provider()).isEqualTo("azure");
    assertThat(discovery.stats().apiCalls()).isEqualTo(fake.armRequests().size()).isEqualTo(5);
  }

  @Test
  void discover_sendsTheTokenForTheArmAudience() throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());

    discover();

    assertThat(connection.requestedScopes()).containsOnly(fake.endpoint() + "/.default");
    assertThat(fake.armRequests())
        .allSatisfy(
            r -> assertThat(r.header("Authorization")).contains("Bearer " + fake.accessToken()));
  }

  @Test
  void discover_picksThePrimaryNicAndItsPrimaryIpConfiguration() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "multi-nic")
            .nics(
                new FakeNic(
                    "secondary", false, List.of(FakeIpConfig.withPublic("10.9.0.4", "20.9.9.9"))),
                new FakeNic(
                    "main",
                    true,
                    List.of(
                        new FakeIpConfig(
                            "extra", false, Optional.of("10.1.0.9"), Optional.of("20.0.0.9")),
                        new FakeIpConfig(
                            "ipconfig1", true, Optional.of("10.1.0.4"), Optional.of("20.0.0.4")))))
            .build());

    Instance instance = named(discover(), "multi-nic");

    assertThat(instance.privateIp()).isEqualTo("10.1.0.4");
    assertThat(instance.publicIp()).contains("20.0.0.4");
  }

  @Test
  void discover_vmWithoutNicOrPrivateIpIsAProblemAndTheRestStays() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "no-nic").build(),
        FakeVm.builder(SUB_A, "rg", "no-ip")
            .nics(
                FakeNic.primary(
                    "no-ip-nic",
                    new FakeIpConfig("ipconfig1", true, Optional.empty(), Optional.empty())))
            .build(),
        FakeVm.builder(SUB_A, "rg", "fine").privateIp("10.0.0.4").build());

    Discovery discovery = discover();

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("fine");
    assertThat(discovery.problems())
        .extracting(p -> p.message())
        .containsExactly(
            "no-nic: network interface is missing, the machine has none attached",
            "no-ip: private IP is missing, IP configuration ipconfig1 of no-ip-nic has none");
  }

  @Test
  void discover_reportsPowerStatesAndAVmWithoutOneAsANamedProblem() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "stopped").powerState("stopped").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg", "deallocated")
            .powerState("deallocated")
            .privateIp("10.0.0.5")
            .build(),
        FakeVm.builder(SUB_A, "rg", "starting")
            .powerState("starting")
            .privateIp("10.0.0.6")
            .build(),
        FakeVm.builder(SUB_A, "rg", "no-status").powerState(null).privateIp("10.0.0.7").build());

    Discovery discovery = discover();

    assertThat(named(discovery, "stopped").powerState()).isEqualTo(PowerState.STOPPED);
    assertThat(named(discovery, "deallocated").powerState()).isEqualTo(PowerState.DEALLOCATED);
    assertThat(named(discovery, "starting").powerState()).isEqualTo(PowerState.STARTING);
    assertThat(discovery.instances()).extracting(Instance::name).doesNotContain("no-status");
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "no-status: power state is missing, the statusOnly VM listing of subscription "
                + SUB_A
                + " reports no PowerState status for it");
  }

  @Test
  void discover_uniformScaleSetInstancesCarryTheScaleSetsTags() throws Exception {
    fake.add(
        FakeScaleSet.uniform(
            SUB_A,
            "rg-ss",
            "api",
            Map.of("mesh-service", "api"),
            List.of(
                new FakeScaleSet.Instance("0", "1", "running", "10.2.0.4", "20.2.0.4"),
                new FakeScaleSet.Instance("3", "2", "deallocated", "10.2.0.7", null))));

    Discovery discovery = discover();

    String scaleSetId =
        "/subscriptions/"
            + SUB_A
            + "/resourcegroups/rg-ss/providers/microsoft.compute/virtualmachinescalesets/api";
    assertThat(discovery.instances())
        .containsExactly(
            Instance.builder(scaleSetId + "/virtualmachines/0", "api_0", "10.2.0.4")
                .publicIp("20.2.0.4")
                .location("westeurope")
                .zone("1")
                .powerState(PowerState.RUNNING)
                .kind(InstanceKind.SCALE_SET_INSTANCE)
                .tags(Map.of("mesh-service", "api"))
                .build(),
            Instance.builder(scaleSetId + "/virtualmachines/3", "api_3", "10.2.0.7")
                .location("westeurope")
                .zone("2")
                .powerState(PowerState.DEALLOCATED)
                .kind(InstanceKind.SCALE_SET_INSTANCE)
                .tags(Map.of("mesh-service", "api"))
                .build());
    // 3 subscription listings (no VM, so no power states to list) + the scale set's VMs, NICs and
    // public IPs.
    assertThat(discovery.stats().apiCalls()).isEqualTo(6);
    assertThat(fake.armRequests())
        .filteredOn(r -> r.path().endsWith("/virtualMachineScaleSets/api/virtualMachines"))
        .singleElement()
        .satisfies(r -> assertThat(r.query()).contains("$expand=instanceView"));
  }

  @Test
  void discover_flexibleScaleSetVmsComeFromTheVmListingWithoutScaleSetCalls() throws Exception {
    fake.add(FakeScaleSet.flexible(SUB_A, "rg", "flex", Map.of("mesh-service", "ignored")));
    fake.add(
        FakeVm.builder(SUB_A, "rg", "flex_a1b2")
            .flexibleScaleSet("flex")
            .tags(Map.of("mesh-service", "flex"))
            .privateIp("10.3.0.4")
            .build());

    Discovery discovery = discover();

    Instance instance = named(discovery, "flex_a1b2");
    assertThat(instance.kind()).isEqualTo(InstanceKind.VM);
    assertThat(instance.tags()).isEqualTo(Map.of("mesh-service", "flex"));
    assertThat(fake.armRequests()).noneMatch(r -> r.path().contains("/virtualMachineScaleSets/"));
    assertThat(discovery.stats().apiCalls()).isEqualTo(4);
  }

  @Test
  void discover_searchesEverySubscription() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "in-a").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_B, "rg", "in-b").privateIp("10.1.0.4").build());

    Discovery discovery = discover(connection.config().subscription(SUB_B).build());

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("in-a", "in-b");
    assertThat(discovery.stats().apiCalls()).isEqualTo(8);
  }

  @Test
  void discover_sameNameInTwoResourceGroupsIsQualified() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg-blue", "app").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-green", "app").privateIp("10.0.0.5").build(),
        FakeVm.builder(SUB_A, "rg-green", "other").privateIp("10.0.0.6").build());

    Discovery discovery = discover();

    assertThat(discovery.instances())
        .extracting(Instance::name)
        .containsExactly("rg-blue/app", "rg-green/app", "other");
  }

  @Test
  void discover_sameNameInSameGroupOfTwoSubscriptionsIsQualifiedBySubscription() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "app").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_B, "rg", "app").privateIp("10.1.0.4").build());

    Discovery discovery = discover(connection.config().subscription(SUB_B).build());

    assertThat(discovery.instances())
        .extracting(Instance::name)
        .containsExactly(SUB_A + "/rg/app", SUB_B + "/rg/app");
  }

  @Test
  void discover_tagFiltersIncludeAndExclude() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "web")
            .tags(Map.of("Mesh-Service", "web", "env", "prod"))
            .privateIp("10.0.0.4")
            .build(),
        FakeVm.builder(SUB_A, "rg", "web-canary")
            .tags(Map.of("mesh-service", "web", "env", "prod", "canary", ""))
            .privateIp("10.0.0.5")
            .build(),
        FakeVm.builder(SUB_A, "rg", "web-dev")
            .tags(Map.of("mesh-service", "web", "env", "dev"))
            .privateIp("10.0.0.6")
            .build(),
        FakeVm.builder(SUB_A, "rg", "untagged").privateIp("10.0.0.7").build());
    fake.add(
        FakeScaleSet.uniform(
            SUB_A,
            "rg",
            "dev-pool",
            Map.of("mesh-service", "web", "env", "dev"),
            List.of(FakeScaleSet.Instance.running("0", "10.0.1.4"))));

    TagFilter filter =
        new TagFilter(
            List.of(
                TagCondition.parse("tag", "mesh-service"), TagCondition.parse("tag", "env=prod")),
            List.of(TagCondition.parse("exclude-tag", "canary")));
    Discovery discovery = discover(connection.config().tags(filter).build());

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("web");
    // The filtered-out scale set is never listed.
    assertThat(fake.armRequests()).noneMatch(r -> r.path().contains("/dev-pool/"));
  }

  @Test
  void discover_resourceGroupsLimitTheSearch() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "RG-App", "in").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-other", "out").privateIp("10.0.0.5").build());

    Discovery discovery = discover(connection.config().resourceGroup("rg-app").build());

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("in");
  }

  @Test
  void discover_throttledRequestIsRetriedAfterRetryAfter() throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    fake.fail(VMS, Fault.throttled(1), 1);

    Discovery discovery = discover();

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("vm-0");
    List<RecordedRequest> vmListings =
        fake.armRequests().stream().filter(r -> r.path().endsWith(VMS)).toList();
    assertThat(vmListings).hasSize(3);
    // The base delay is 10 ms: only the Retry-After of 1 s explains the wait.
    assertThat(Duration.between(vmListings.get(0).receivedAt(), vmListings.get(1).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    // 4 listings (no public IPs to list) + the retried one.
    assertThat(discovery.stats().apiCalls()).isEqualTo(5);
  }

  @Test
  void discover_persistentThrottlingFailsAsThrottled() {
    fake.failAlways(VMS, Fault.throttled(0));

    assertThatThrownBy(this::discover)
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("throttled");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "ARM throttled GET /subscriptions/"
                          + SUB_A
                          + VMS
                          + " (HTTP 429 TooManyRequests), still after 2 retries; "
                          + connection.lastIds());
            });
    assertThat(fake.armRequests()).hasSize(3);
  }

  @Test
  void discover_persistent500FailsClearly() {
    fake.failAlways(NICS, Fault.status(500, "InternalServerError", "Something broke."));

    assertThatThrownBy(this::discover)
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("azure-error");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "ARM answered GET /subscriptions/"
                          + SUB_A
                          + NICS
                          + " with HTTP 500 InternalServerError, still after 2 retries; "
                          + connection.lastIds());
            });
  }

  @Test
  void discover_malformedJsonFailsClearly() {
    fake.fail(NICS, Fault.malformedJson(), 1);

    assertThatThrownBy(this::discover)
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("malformed-response");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "ARM answered GET /subscriptions/"
                          + SUB_A
                          + NICS
                          + " with HTTP 200 but a body that is not a valid listing:"
                          + " Deserialization Failed.; "
                          + connection.lastIds());
            });
  }

  @Test
  void discover_timeoutBoundsTheWholeRefresh() {
    // The first request hangs, so the count does not depend on how fast the machine is.
    fake.fail(VMS, Fault.hang(), 1);
    AzureDiscoveryConfig config = connection.config().timeout(Duration.ofSeconds(3)).build();

    assertThatThrownBy(() -> discover(config))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("timeout");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "azure discovery did not finish within 3s (HTTP requests made: 1); ARM is"
                          + " slow to answer");
            });
  }

  @Test
  void discover_transient500IsRetried() throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    fake.fail(NICS, Fault.status(503, "ServiceUnavailable", "Try again."), 1);

    Discovery discovery = discover();

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("vm-0");
    assertThat(discovery.stats().apiCalls()).isEqualTo(5);
  }

  @Test
  void discover_untrustedCertificateFailsAsUnreachableNamingTheTrustStore() {
    AzureDiscoveryConfig config = connection.config().build();

    // The SDK's default client trusts the JVM's CAs only, not the fake's self-signed certificate.
    assertThatThrownBy(
            () -> {
              try (AzureDiscoveryProvider provider =
                  AzureDiscoveryProvider.builder(config)
                      .credential(connection.credential())
                      .build()) {
                provider.discover();
              }
            })
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("unreachable");
              assertThat(e.getMessage())
                  .startsWith("TLS with ARM at " + fake.endpoint() + " failed (")
                  .endsWith("); for a private CA set javax.net.ssl.trustStore");
            });
  }

  @Test
  void discover_closedEndpointFailsAsUnreachable() {
    AzureDiscoveryConfig config =
        connection
            .config()
            .retry(new RetrySettings(0, Duration.ofMillis(10), Duration.ofMillis(10)))
            .build();
    fake.close();

    assertThatThrownBy(() -> discover(config))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("unreachable");
              assertThat(e.getMessage())
                  .startsWith("cannot reach ARM at " + fake.endpoint() + ": ");
            });
  }

  @Test
  void discover_resourceGroupCaseFlipBetweenRefreshesKeepsTheSameIds() throws Exception {
    // The fake spells the group RG-APP in every other listing (FakeArm.GroupCase.FLIP).
    fake.add(
        FakeVm.builder(SUB_A, "rg-app", "web-0").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_A, "rg-app", "web-1").publicIp("10.0.0.5", "20.0.0.5").build());

    try (AzureDiscoveryProvider provider = connection.provider(connection.config().build())) {
      Discovery first = provider.discover();
      Discovery second = provider.discover();
      Discovery third = provider.discover();

      String prefix =
          "/subscriptions/" + SUB_A + "/resourcegroups/rg-app/providers/microsoft.compute/";
      assertThat(first.instances())
          .extracting(Instance::id)
          .containsExactly(prefix + "virtualmachines/web-0", prefix + "virtualmachines/web-1");
      assertThat(second.instances()).isEqualTo(first.instances());
      assertThat(third.instances()).isEqualTo(first.instances());
    }
  }

  @Test
  void discover_retryAfterLongerThanTheTimeoutFailsAtOnceAsThrottledAndBacksOff() throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    fake.fail(VMS, Fault.computeThrottled(1200), 1);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    AzureDiscoveryConfig config = connection.config().timeout(Duration.ofSeconds(60)).build();

    try (AzureDiscoveryProvider provider = connection.provider(config, clock)) {
      String ids = "";
      try {
        provider.discover();
        throw new AssertionError("the refresh was not throttled");
      } catch (DiscoveryException e) {
        ids = connection.lastIds();
        assertThat(e.causeLabel()).isEqualTo("throttled");
        assertThat(e.getMessage())
            .isEqualTo(
                "ARM throttled GET /subscriptions/"
                    + SUB_A
                    + VMS
                    + " (HTTP 429 OperationNotAllowed/TooManyRequests) and asked to wait 1200s"
                    + " (Retry-After), longer than the 60s left of this refresh; no call before"
                    + " 2026-12-04T10:20:00Z; "
                    + ids);
      }
      // Not retried: one request.
      assertThat(fake.armRequests()).hasSize(1);

      clock.advance(Duration.ofMinutes(19));
      String finalIds = ids;
      assertThatThrownBy(provider::discover)
          .isInstanceOfSatisfying(
              DiscoveryException.class,
              e -> {
                assertThat(e.causeLabel()).isEqualTo("throttled");
                assertThat(e.getMessage())
                    .isEqualTo(
                        "ARM throttled GET /subscriptions/"
                            + SUB_A
                            + VMS
                            + " and asked to wait 1200s (Retry-After); no call before"
                            + " 2026-12-04T10:20:00Z, so this refresh made none; "
                            + finalIds);
              });
      assertThat(fake.armRequests()).hasSize(1);

      clock.advance(Duration.ofMinutes(1));
      assertThat(provider.discover().instances())
          .extracting(Instance::name)
          .containsExactly("vm-0");
    }
  }

  /** Ten VMs in group rg: five pages of the VM listing. */
  private void addTenVmsInPagesOfTwo() {
    for (int i = 0; i < 10; i++) {
      fake.add(FakeVm.builder(SUB_A, "rg", "vm-" + i).privateIp("10.0.0." + (i + 4)).build());
    }
    fake.pageSize(2);
  }

  @Test
  void discover_aLaterPageThatFailsOnceIsRetriedFromThatPageAndTheRefreshStands() throws Exception {
    addTenVmsInPagesOfTwo();
    fake.failPage(
        "/subscriptions/" + SUB_A + VMS, 3, Fault.status(500, "InternalServerError", "boom"), 1);

    Discovery discovery = discover();

    assertThat(discovery.instances()).hasSize(10);
    List<RecordedRequest> vmPages =
        fake.armRequests().stream()
            .filter(r -> r.path().endsWith(VMS) && !r.query().contains("statusOnly"))
            .toList();
    // Pages 1 to 5 and page 3 again, with the same skip token: not a restart from page 1.
    assertThat(vmPages).hasSize(6);
    assertThat(vmPages.get(2).query()).contains("$skiptoken=").isEqualTo(vmPages.get(3).query());
    assertThat(discovery.stats().apiCalls()).isEqualTo(fake.armRequests().size());
  }

  @Test
  void discover_aLaterPageThatKeepsFailingFailsTheRefreshInsteadOfServingPart() {
    addTenVmsInPagesOfTwo();
    String groupVms = "/subscriptions/" + SUB_A + "/resourceGroups/rg" + VMS;
    fake.failPage(groupVms, 4, Fault.status(500, "InternalServerError", "boom"), Integer.MAX_VALUE);

    assertThatThrownBy(() -> discover(connection.config().resourceGroup("rg").build()))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("azure-error");
              assertThat(e.getMessage())
                  .startsWith(
                      "ARM answered GET "
                          + groupVms
                          + " with HTTP 500 InternalServerError, still after 2 retries;");
            });
  }

  @Test
  void discover_spentComputeBudgetIs429AndTheRefreshesBackOffUntilItRefills() throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    // One Compute read left: the VM listing takes it, the statusOnly listing finds none.
    fake.rateLimitRemaining(500, 1);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    AzureDiscoveryConfig config = connection.config().timeout(Duration.ofSeconds(60)).build();

    try (AzureDiscoveryProvider provider = connection.provider(config, clock)) {
      assertThatThrownBy(provider::discover)
          .isInstanceOfSatisfying(
              DiscoveryException.class,
              e -> {
                assertThat(e.causeLabel()).isEqualTo("throttled");
                assertThat(e.getMessage())
                    .contains("(HTTP 429 OperationNotAllowed/TooManyRequests) and asked to wait");
              });
      int calls = fake.armRequests().size();
      assertThat(calls).isEqualTo(2);

      clock.advance(Duration.ofMinutes(1));
      assertThatThrownBy(provider::discover)
          .isInstanceOfSatisfying(
              DiscoveryException.class,
              e -> assertThat(e.getMessage()).contains("so this refresh made none"));
      assertThat(fake.armRequests()).hasSize(calls);
    }
  }

  @Test
  void discover_reportsTheLowestRateLimitRemaining() throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    fake.rateLimitRemaining(500, 30);

    Discovery discovery = discover();

    // VMs, power states and scale sets are Compute listings, each using one of its 30 reads.
    assertThat(discovery.stats().rateLimitRemaining()).hasValue(27);
  }

  @Test
  void discover_scaleSetDeletedBetweenListingAndItsCallsIsAProblemAndTheRestStands()
      throws Exception {
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    fake.add(
        FakeScaleSet.uniform(
            SUB_A, "rg", "gone", Map.of(), List.of(FakeScaleSet.Instance.running("0", "10.1.0.4"))),
        FakeScaleSet.uniform(
            SUB_A,
            "rg",
            "kept",
            Map.of(),
            List.of(FakeScaleSet.Instance.running("0", "10.2.0.4"))));
    fake.fail(
        "/virtualMachineScaleSets/gone/virtualMachines",
        Fault.status(
            404,
            "ResourceNotFound",
            "The Resource 'Microsoft.Compute/virtualMachineScaleSets/gone' under resource group"
                + " 'rg' was not found."),
        1);

    Discovery discovery = discover();

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("vm-0", "kept_0");
    RecordedRequest failed =
        fake.armRequests().stream()
            .filter(r -> r.path().endsWith("/gone/virtualMachines"))
            .findFirst()
            .orElseThrow();
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "gone: scale set is missing, deleted during the refresh (GET "
                + failed.path()
                + " answered HTTP 404 ResourceNotFound; "
                + FakeArmConnection.idsOf(failed)
                + ")");
  }

  @Test
  void discover_scaleSetWhoseInstanceListingFailsIsAProblem() throws Exception {
    fake.add(
        FakeScaleSet.uniform(
            SUB_A, "rg", "odd", Map.of(), List.of(FakeScaleSet.Instance.running("0", "10.1.0.4"))));
    fake.failAlways(
        "/virtualMachineScaleSets/odd/virtualMachines",
        Fault.status(409, "OperationNotAllowed", "Not now."));

    Discovery discovery = discover();

    assertThat(discovery.instances()).isEmpty();
    RecordedRequest failed = fake.armRequests().get(fake.armRequests().size() - 1);
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "odd: scale set instances is missing, listing them failed (GET "
                + failed.path()
                + " answered HTTP 409 OperationNotAllowed; "
                + FakeArmConnection.idsOf(failed)
                + "); left out of this refresh");
  }

  @Test
  void discover_instancesNotProvisionedAreNotServed() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg", "new-vm")
            .privateIp("10.0.0.4")
            .provisioningState("Creating")
            .build());
    fake.add(
        FakeScaleSet.uniform(
            SUB_A,
            "rg",
            "api",
            Map.of(),
            List.of(
                FakeScaleSet.Instance.running("0", "10.1.0.4"),
                FakeScaleSet.Instance.running("1", "10.1.0.5").provisioning("Creating"),
                FakeScaleSet.Instance.running("2", "10.1.0.6").provisioning("Deleting"))));

    Discovery discovery = discover();

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("api_0");
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .containsExactly(
            "new-vm: provisioning state is 'Creating', not served until it is Succeeded",
            "api_1: provisioning state is 'Creating', not served until it is Succeeded",
            "api_2: provisioning state is 'Deleting', not served until it is Succeeded");
  }

  @Test
  void discover_armWithoutTheSdksApiVersionSaysOlderCloudsAreNotSupported() {
    fake.failAlways(
        VMS,
        Fault.status(
            400,
            "InvalidApiVersionParameter",
            "The api-version '2025-04-01' is invalid. The supported versions are '2020-06-01'."));

    assertThatThrownBy(this::discover)
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("azure-error");
              assertThat(e.getMessage())
                  .startsWith(
                      "ARM at "
                          + fake.endpoint()
                          + " does not serve GET /subscriptions/"
                          + SUB_A
                          + VMS
                          + " at api-version ")
                  .endsWith(
                      " (HTTP 400 InvalidApiVersionParameter): the provider sends the api-versions"
                          + " of the Azure SDK it is built with, which clouds with older API"
                          + " versions (such as Azure Stack Hub) do not have; "
                          + connection.lastIds());
            });
  }

  @Test
  void discover_resourceGraphModeReadsSubscriptionPowerStatesFromOneQuery() throws Exception {
    fake.add(
        FakeVm.builder(SUB_A, "rg-a", "web-0")
            .privateIp("10.0.0.4")
            .powerState("deallocated")
            .build(),
        FakeVm.builder(SUB_A, "rg-b", "web-1").privateIp("10.0.0.5").build());

    Discovery discovery = discover(connection.config().mode(DiscoveryMode.RESOURCE_GRAPH).build());

    assertThat(discovery.instances())
        .extracting(Instance::name, Instance::powerState)
        .containsExactly(
            tuple("web-0", PowerState.DEALLOCATED), tuple("web-1", PowerState.RUNNING));
    assertThat(fake.armRequests()).filteredOn(RecordedRequest::isResourceGraph).hasSize(1);
    assertThat(fake.armRequests()).noneMatch(r -> r.query().contains("statusOnly"));
  }
}
