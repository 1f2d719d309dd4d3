package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static io.azmesh.discovery.azure.FakeArmConnection.SUB_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryScope;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.Fault;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fail-static per scope, against the fake ARM with the real Azure SDK: one subscription failing or
 * throttled while another changes.
 */
class ScopeFailStaticTest {
  private static final String SUB_B_PATH = "/subscriptions/" + SUB_B + "/";

  private FakeArm fake;
  private FakeArmConnection connection;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));

  @BeforeEach
  void startFake() {
    fake = FakeArm.start();
    connection = new FakeArmConnection(fake);
    fake.add(
        FakeVm.builder(SUB_A, "rg", "a-0").privateIp("10.0.0.4").build(),
        FakeVm.builder(SUB_B, "rg", "b-0").privateIp("10.1.0.4").build(),
        FakeVm.builder(SUB_B, "rg", "b-1").privateIp("10.1.0.5").build());
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  private AzureDiscoveryProvider provider() {
    return connection.provider(
        connection.config().subscription(SUB_B).timeout(Duration.ofSeconds(60)).build(), clock);
  }

  @Test
  void discover_oneSubscriptionFailingKeepsItsLastGoodInstancesWhileAnotherChanges()
      throws Exception {
    try (AzureDiscoveryProvider provider = provider()) {
      Discovery first = provider.discover();
      assertThat(first.instances()).extracting(Instance::name).containsExactly("a-0", "b-0", "b-1");
      Instant firstAt = clock.instant();
      fake.failAlways(SUB_B_PATH, Fault.status(500, "InternalServerError", "ARM is unwell."));
      fake.add(FakeVm.builder(SUB_A, "rg", "a-1").privateIp("10.0.0.5").build());
      clock.advance(Duration.ofSeconds(30));

      Discovery second = provider.discover();

      assertThat(second.instances())
          .extracting(Instance::name)
          .containsExactlyInAnyOrder("a-0", "a-1", "b-0", "b-1");
      assertThat(second.scopes())
          .extracting(DiscoveryScope::scope, DiscoveryScope::health, DiscoveryScope::instances)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "subscription " + SUB_A, DiscoveryScope.Health.OK, 2),
              org.assertj.core.groups.Tuple.tuple(
                  "subscription " + SUB_B, DiscoveryScope.Health.FAILED, 2));
      assertThat(second.scopes().get(1).lastSuccess()).contains(firstAt);
      assertThat(second.problems()).hasSize(1);
      Problem problem = second.problems().get(0);
      assertThat(problem.subject()).isEqualTo("subscription " + SUB_B);
      assertThat(problem.message())
          .contains("its 2 instances listed at " + firstAt + " are kept")
          .contains("500");
    }
  }

  @Test
  void discover_oneSubscriptionThrottledIsNotCalledUntilItsRetryAfterWhileAnotherChanges()
      throws Exception {
    try (AzureDiscoveryProvider provider = provider()) {
      provider.discover();
      fake.fail(SUB_B_PATH, Fault.throttled(1200), 1);
      fake.add(FakeVm.builder(SUB_A, "rg", "a-1").privateIp("10.0.0.5").build());
      clock.advance(Duration.ofSeconds(30));

      Discovery throttled = provider.discover();

      assertThat(throttled.instances())
          .extracting(Instance::name)
          .containsExactlyInAnyOrder("a-0", "a-1", "b-0", "b-1");
      assertThat(throttled.scopes().get(1).health()).isEqualTo(DiscoveryScope.Health.THROTTLED);
      assertThat(throttled.problems())
          .extracting(Problem::subject)
          .containsExactly("subscription " + SUB_B);

      // Within the Retry-After: B is not called at all, A goes on.
      fake.clearRequests();
      fake.add(FakeVm.builder(SUB_A, "rg", "a-2").privateIp("10.0.0.6").build());
      clock.advance(Duration.ofMinutes(1));
      Discovery waiting = provider.discover();
      assertThat(waiting.instances())
          .extracting(Instance::name)
          .containsExactlyInAnyOrder("a-0", "a-1", "a-2", "b-0", "b-1");
      assertThat(fake.armRequests()).noneMatch(r -> r.path().contains(SUB_B));
      assertThat(waiting.scopes().get(1).health()).isEqualTo(DiscoveryScope.Health.THROTTLED);

      // After it: B is listed again.
      clock.advance(Duration.ofMinutes(20));
      Discovery after = provider.discover();
      assertThat(after.scopes())
          .extracting(DiscoveryScope::health)
          .containsOnly(DiscoveryScope.Health.OK);
      assertThat(after.problems()).isEmpty();
    }
  }

  @Test
  void discover_everyScopeFailingFailsTheRefresh() throws Exception {
    try (AzureDiscoveryProvider provider = provider()) {
      provider.discover();
      fake.failAlways("/subscriptions/", Fault.status(500, "InternalServerError", "down"));

      assertThatThrownBy(provider::discover).isInstanceOf(DiscoveryException.class);
    }
  }
}
