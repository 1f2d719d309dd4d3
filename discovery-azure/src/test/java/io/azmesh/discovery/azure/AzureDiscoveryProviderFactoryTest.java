package io.azmesh.discovery.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.ProviderSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureDiscoveryProviderFactoryTest {

  @Test
  void load_registersAzureThroughServiceLoader() {
    DiscoveryProviders providers = DiscoveryProviders.load();

    assertThat(providers.names()).contains("azure");
    assertThat(providers.factory("azure")).isInstanceOf(AzureDiscoveryProviderFactory.class);
  }

  @Test
  void create_rejectsSettingsOfOtherProviders() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "inventory", List.of("inventory.yaml"),
                "refresh", List.of("30s")));

    assertThatThrownBy(() -> DiscoveryProviders.load().create("azure", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the azure provider does not use --inventory, --refresh; it reads --subscription,"
                + " --resource-group, --tag, --exclude-tag, --azure-cloud, --arm-endpoint,"
                + " --arm-audience, --authority-host, --auth, --client-id, --tenant-id,"
                + " --client-secret-file, --discovery-mode, --timeout, --max-retries");
  }

  @Test
  void create_buildsAProviderFromSettingsWithoutCallingAzure() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "azure-cloud", List.of("china")));

    try (DiscoveryProvider provider = DiscoveryProviders.load().create("azure", settings)) {
      assertThat(provider.name()).isEqualTo("azure");
      assertThat(((AzureDiscoveryProvider) provider).config().endpoints())
          .isEqualTo(ArmEndpoints.of(AzureCloud.CHINA));
    }
  }
}
