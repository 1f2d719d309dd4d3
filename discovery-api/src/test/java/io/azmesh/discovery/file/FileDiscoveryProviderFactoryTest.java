package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.ProviderSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileDiscoveryProviderFactoryTest {
  private final FileDiscoveryProviderFactory factory = new FileDiscoveryProviderFactory();

  @Test
  void create_readsTheInventorySetting() {
    ProviderSettings settings = ProviderSettings.of(Map.of("inventory", List.of("inv.yaml")));

    try (DiscoveryProvider provider = factory.create(settings)) {
      assertThat(((FileDiscoveryProvider) provider).inventory()).isEqualTo(Path.of("inv.yaml"));
    }
  }

  @Test
  void create_settleDefaultsAndTakesTheInventorySettleSetting() {
    try (DiscoveryProvider byDefault =
            factory.create(ProviderSettings.of(Map.of("inventory", List.of("inv.yaml"))));
        DiscoveryProvider renamesOnly =
            factory.create(
                ProviderSettings.of(
                    Map.of(
                        "inventory", List.of("inv.yaml"), "inventory-settle", List.of("PT0S"))))) {
      assertThat(((FileDiscoveryProvider) byDefault).settle())
          .isEqualTo(FileDiscoveryProvider.DEFAULT_SETTLE);
      assertThat(((FileDiscoveryProvider) renamesOnly).settle()).isZero();
    }
  }

  @Test
  void create_withABadSettle_namesTheValue() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of("inventory", List.of("inv.yaml"), "inventory-settle", List.of("soon")));

    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--inventory-settle is 'soon', not a duration");
  }

  @Test
  void create_withoutInventory_saysWhatIsNeeded() {
    assertThatThrownBy(() -> factory.create(ProviderSettings.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the file provider needs --inventory, the path of the inventory file");
  }

  @Test
  void create_withSettingsOfAnotherProvider_namesThem() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "inventory", List.of("inv.yaml"),
                "subscription", List.of("sub-1"),
                "resource-group", List.of("rg")));

    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the file provider does not use --resource-group, --subscription; it reads only"
                + " --inventory and --inventory-settle");
  }

  @Test
  void create_withAnInvalidPath_namesTheValue() {
    ProviderSettings settings = ProviderSettings.of(Map.of("inventory", List.of("bad\0path")));

    assertThatThrownBy(() -> factory.create(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--inventory is 'bad\0path', not a valid path: Nul character not allowed");
  }
}
