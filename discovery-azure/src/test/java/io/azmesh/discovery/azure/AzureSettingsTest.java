package io.azmesh.discovery.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.ProviderSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureSettingsTest {
  private static final String SUB = "11111111-2222-3333-4444-555555555555";
  private static final String OTHER_SUB = "22222222-2222-3333-4444-555555555555";

  private static ProviderSettings settings(String... keyValues) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String keyValue : keyValues) {
      int eq = keyValue.indexOf('=');
      values
          .computeIfAbsent(keyValue.substring(0, eq), k -> new java.util.ArrayList<>())
          .add(keyValue.substring(eq + 1));
    }
    return ProviderSettings.of(values);
  }

  private static void assertRejected(String message, String... keyValues) {
    assertThatThrownBy(() -> AzureSettings.toConfig(settings(keyValues)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void toConfig_defaultsToPublicCloudDefaultCredentialAndAutoMode() {
    AzureDiscoveryConfig config = AzureSettings.toConfig(settings("subscription=" + SUB));

    assertThat(config.subscriptions()).containsExactly(SUB);
    assertThat(config.resourceGroups()).isEmpty();
    assertThat(config.tags()).isEqualTo(TagFilter.all());
    assertThat(config.endpoints())
        .isEqualTo(
            new ArmEndpoints(
                URI.create("https://management.azure.com/"),
                "https://management.core.windows.net/",
                URI.create("https://login.microsoftonline.com/")));
    assertThat(config.endpoints().scope())
        .isEqualTo("https://management.core.windows.net//.default");
    assertThat(config.auth()).isEqualTo(AzureAuth.defaults());
    assertThat(config.mode()).isEqualTo(DiscoveryMode.AUTO);
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.retry()).isEqualTo(RetrySettings.defaults());
  }

  @Test
  void toConfig_mapsEverySetting() {
    String[] managedIdentityInUsGov = {
      "subscription=" + SUB,
      "subscription=" + OTHER_SUB,
      "resource-group=rg-a",
      "resource-group=rg-b",
      "tag=mesh-service",
      "tag=env=prod",
      "exclude-tag=canary",
      "azure-cloud=usgov",
      "auth=managed-identity",
      "client-id=abc",
      "discovery-mode=list-all",
      "timeout=90s",
      "max-retries=5"
    };
    String[] servicePrincipalAtCustomEndpoints = {
      "subscription=" + SUB,
      "arm-endpoint=https://arm.example.test",
      "arm-audience=https://audience.example.test/",
      "authority-host=https://login.example.test",
      "auth=service-principal",
      "client-id=app-1",
      "tenant-id=tenant-1",
      "client-secret-file=/run/secrets/azure",
      "discovery-mode=resource-graph"
    };

    assertThat(AzureSettings.toConfig(settings(managedIdentityInUsGov)))
        .isEqualTo(
            AzureDiscoveryConfig.builder()
                .subscription(SUB)
                .subscription(OTHER_SUB)
                .resourceGroup("rg-a")
                .resourceGroup("rg-b")
                .tags(
                    new TagFilter(
                        List.of(
                            new TagCondition("mesh-service", Optional.empty()),
                            new TagCondition("env", Optional.of("prod"))),
                        List.of(new TagCondition("canary", Optional.empty()))))
                .endpoints(
                    new ArmEndpoints(
                        URI.create("https://management.usgovcloudapi.net/"),
                        "https://management.core.usgovcloudapi.net/",
                        URI.create("https://login.microsoftonline.us/")))
                .auth(AzureAuth.managedIdentity(Optional.of("abc")))
                .mode(DiscoveryMode.LIST_ALL)
                .timeout(Duration.ofSeconds(90))
                .retry(
                    new RetrySettings(
                        5,
                        RetrySettings.defaults().baseDelay(),
                        RetrySettings.defaults().maxDelay()))
                .build());
    assertThat(AzureSettings.toConfig(settings(servicePrincipalAtCustomEndpoints)))
        .isEqualTo(
            AzureDiscoveryConfig.builder()
                .subscription(SUB)
                .endpoints(
                    new ArmEndpoints(
                        URI.create("https://arm.example.test/"),
                        "https://audience.example.test/",
                        URI.create("https://login.example.test/")))
                .auth(
                    new AzureAuth(
                        AuthMethod.SERVICE_PRINCIPAL,
                        Optional.of("app-1"),
                        Optional.of("tenant-1"),
                        Optional.of(Path.of("/run/secrets/azure"))))
                .mode(DiscoveryMode.RESOURCE_GRAPH)
                .build());
    // A setting added to AzureSettings.KEYS fails here until it is mapped and asserted above.
    // change-queue is the one toConfig does not map: the factory reads it and wraps the provider
    // in the queue reader (AzureDiscoveryProviderFactoryTest).
    assertThat(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.concat(
                            java.util.Arrays.stream(managedIdentityInUsGov),
                            java.util.Arrays.stream(servicePrincipalAtCustomEndpoints))
                        .map(kv -> kv.substring(0, kv.indexOf('='))),
                    java.util.stream.Stream.of(AzureSettings.CHANGE_QUEUE))
                .distinct())
        .containsExactlyInAnyOrderElementsOf(AzureSettings.KEYS);
  }

  @Test
  void toConfig_chinaCloud() {
    AzureDiscoveryConfig config =
        AzureSettings.toConfig(settings("subscription=" + SUB, "azure-cloud=china"));

    assertThat(config.endpoints().resourceManager())
        .isEqualTo(URI.create("https://management.chinacloudapi.cn/"));
    assertThat(config.endpoints().authorityHost())
        .isEqualTo(URI.create("https://login.chinacloudapi.cn/"));
  }

  @Test
  void toConfig_customArmEndpointDefaultsTheAudienceToItself() {
    AzureDiscoveryConfig config =
        AzureSettings.toConfig(
            settings(
                "subscription=" + SUB,
                "arm-endpoint=https://management.local.azurestack.external"));

    assertThat(config.endpoints())
        .isEqualTo(
            new ArmEndpoints(
                URI.create("https://management.local.azurestack.external/"),
                "https://management.local.azurestack.external/",
                URI.create("https://login.microsoftonline.com/")));
  }

  @Test
  void toConfig_customArmEndpointWithAudienceAndAuthority() {
    AzureDiscoveryConfig config =
        AzureSettings.toConfig(
            settings(
                "subscription=" + SUB,
                "arm-endpoint=https://management.local.azurestack.external/",
                "arm-audience=https://management.contoso.onmicrosoft.com/4de154de",
                "authority-host=https://adfs.local.azurestack.external/"));

    assertThat(config.endpoints().scope())
        .isEqualTo("https://management.contoso.onmicrosoft.com/4de154de/.default");
    assertThat(config.endpoints().authorityHost())
        .isEqualTo(URI.create("https://adfs.local.azurestack.external/"));
  }

  @Test
  void toConfig_servicePrincipal() {
    AzureDiscoveryConfig config =
        AzureSettings.toConfig(
            settings(
                "subscription=" + SUB,
                "auth=service-principal",
                "tenant-id=t",
                "client-id=c",
                "client-secret-file=/run/secrets/azure"));

    assertThat(config.auth())
        .isEqualTo(
            new AzureAuth(
                AuthMethod.SERVICE_PRINCIPAL,
                Optional.of("c"),
                Optional.of("t"),
                Optional.of(Path.of("/run/secrets/azure"))));
  }

  @Test
  void toConfig_rejectsBadValuesNamingSettingAndValue() {
    assertRejected("setting subscription is required (at least one)");
    assertRejected(
        "setting subscription is 'prod'; expected a subscription id (a GUID)", "subscription=prod");
    assertRejected(
        "setting subscription gives '" + SUB.toUpperCase() + "' twice",
        "subscription=" + SUB,
        "subscription=" + SUB.toUpperCase());
    assertRejected(
        "setting azure-cloud is 'mars'; expected one of public, china, usgov",
        "subscription=" + SUB,
        "azure-cloud=mars");
    assertRejected(
        "setting auth is 'password'; expected one of default, managed-identity, service-principal, cli",
        "subscription=" + SUB,
        "auth=password");
    assertRejected(
        "setting discovery-mode is 'magic'; expected one of auto, list-all, resource-graph",
        "subscription=" + SUB,
        "discovery-mode=magic");
    assertRejected(
        "setting resource-group is 'rg' or 1=1'; a resource group name has 1 to 90 letters,"
            + " digits, '_', '.', '(', ')' or '-'",
        "subscription=" + SUB,
        "resource-group=rg' or 1=1");
    assertRejected(
        "setting timeout is 'soon'; expected a duration such as 30s, 2m or PT1M",
        "subscription=" + SUB,
        "timeout=soon");
    assertRejected(
        "setting timeout is '0s'; expected a positive duration",
        "subscription=" + SUB,
        "timeout=0s");
    assertRejected(
        "setting max-retries is '-1'; expected a whole number of 0 or more",
        "subscription=" + SUB,
        "max-retries=-1");
    assertRejected(
        "setting arm-endpoint is 'http://127.0.0.1:8080/'; expected an https URL (Azure SDK sends"
            + " bearer tokens over https only)",
        "subscription=" + SUB,
        "arm-endpoint=http://127.0.0.1:8080");
    assertRejected(
        "setting arm-audience is only used with arm-endpoint; azure-cloud public has its own audience",
        "subscription=" + SUB,
        "arm-audience=https://x/");
    assertRejected(
        "setting tag is '=web'; expected key=value or key, with a non-empty key",
        "subscription=" + SUB,
        "tag==web");
    assertRejected(
        "setting exclude-tag is ''; expected key=value or key, with a non-empty key",
        "subscription=" + SUB,
        "exclude-tag=");
    assertRejected(
        "setting tenant-id is required with auth service-principal",
        "subscription=" + SUB,
        "auth=service-principal",
        "client-id=c");
    assertRejected(
        "setting client-id is required with auth service-principal",
        "subscription=" + SUB,
        "auth=service-principal",
        "tenant-id=t");
    assertRejected(
        "setting client-secret-file is only used with auth service-principal, not with auth default",
        "subscription=" + SUB,
        "client-secret-file=/x");
    assertRejected(
        "setting timeout is given 2 times [1s, 2s], expected once",
        "subscription=" + SUB,
        "timeout=1s",
        "timeout=2s");
  }

  @Test
  void scopes_wholeSubscriptionsWithoutResourceGroups() {
    AzureDiscoveryConfig config =
        AzureSettings.toConfig(settings("subscription=" + SUB, "subscription=" + OTHER_SUB));

    assertThat(config.scopes())
        .containsExactly(
            new ListingScope(SUB, Optional.empty()), new ListingScope(OTHER_SUB, Optional.empty()));
  }

  @Test
  void scopes_plainGroupsInEverySubscriptionQualifiedGroupsInTheirOwn() {
    AzureDiscoveryConfig config =
        AzureSettings.toConfig(
            settings(
                "subscription=" + SUB,
                "subscription=" + OTHER_SUB,
                "resource-group=rg-shared",
                "resource-group=" + OTHER_SUB + "/rg-edge",
                "resource-group=RG-Shared"));

    assertThat(config.scopes())
        .containsExactly(
            new ListingScope(SUB, Optional.of("rg-shared")),
            new ListingScope(OTHER_SUB, Optional.of("rg-shared")),
            new ListingScope(OTHER_SUB, Optional.of("rg-edge")));
    assertThat(config.scopes().get(2).armScope())
        .isEqualTo("/subscriptions/" + OTHER_SUB + "/resourceGroups/rg-edge");
  }

  @Test
  void toConfig_rejectsBadResourceGroupsNamingTheValue() {
    assertRejected(
        "setting resource-group is 'a/b/c'; expected a resource group name or"
            + " <subscription-id>/<name>",
        "subscription=" + SUB,
        "resource-group=a/b/c");
    assertRejected(
        "setting resource-group is '"
            + SUB
            + "/'; expected a resource group name or"
            + " <subscription-id>/<name>",
        "subscription=" + SUB,
        "resource-group=" + SUB + "/");
    assertRejected(
        "setting resource-group is '"
            + OTHER_SUB
            + "/rg', but '"
            + OTHER_SUB
            + "' is not one of the subscription settings",
        "subscription=" + SUB,
        "resource-group=" + OTHER_SUB + "/rg");
    assertRejected(
        "setting subscription gives '"
            + OTHER_SUB
            + "', but every resource-group names another subscription; add a resource-group for"
            + " it or drop it",
        "subscription=" + SUB,
        "subscription=" + OTHER_SUB,
        "resource-group=" + SUB + "/rg");
  }
}
