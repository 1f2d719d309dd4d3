package io.azmesh.discovery.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListingScopeTest {
  private static final String SUB = "11111111-2222-3333-4444-555555555555";

  @Test
  void ofPath_resourceGroupListingIsThatGroupsScope() {
    assertThat(
            ListingScope.ofPath(
                "/subscriptions/"
                    + SUB
                    + "/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines"))
        .contains(new ListingScope(SUB, Optional.of("rg-app")));
  }

  @Test
  void ofPath_subscriptionListingIsTheSubscriptionsScope() {
    assertThat(
            ListingScope.ofPath(
                "/subscriptions/" + SUB + "/providers/Microsoft.Network/networkInterfaces"))
        .contains(new ListingScope(SUB, Optional.empty()));
  }

  @Test
  void ofPath_pathWithoutSubscriptionHasNoScope() {
    assertThat(ListingScope.ofPath("/providers/Microsoft.Compute/operations")).isEmpty();
    assertThat(ListingScope.ofPath("/")).isEmpty();
  }

  @Test
  void describe_andArmScopeNameTheGroupAndSubscription() {
    ListingScope group = new ListingScope(SUB, Optional.of("rg-app"));
    ListingScope subscription = new ListingScope(SUB, Optional.empty());

    assertThat(group.describe()).isEqualTo("resource group rg-app of subscription " + SUB);
    assertThat(group.armScope()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg-app");
    assertThat(subscription.describe()).isEqualTo("subscription " + SUB);
    assertThat(subscription.armScope()).isEqualTo("/subscriptions/" + SUB);
  }
}
