package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

  @Test
  void get_returnsTheSingleValue() {
    ProviderSettings settings = ProviderSettings.of(Map.of("inventory", List.of("a.yaml")));

    assertThat(settings.get("inventory")).contains("a.yaml");
    assertThat(settings.get("subscription")).isEmpty();
  }

  @Test
  void get_rejectsARepeatedValue() {
    ProviderSettings settings =
        ProviderSettings.of(Map.of("resource-group", List.of("rg-a", "rg-b")));

    assertThatThrownBy(() -> settings.get("resource-group"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting resource-group is given 2 times [rg-a, rg-b], expected once");
  }

  @Test
  void getAll_keepsTheOrderGiven() {
    ProviderSettings settings =
        ProviderSettings.of(Map.of("subscription", List.of("sub-b", "sub-a")));

    assertThat(settings.getAll("subscription")).containsExactly("sub-b", "sub-a");
  }

  @Test
  void require_namesTheMissingKey() {
    assertThatThrownBy(() -> ProviderSettings.empty().require("inventory"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting inventory is required");
  }

  @Test
  void equality_followsTheValues() {
    assertThat(ProviderSettings.of(Map.of("a", List.of("1"))))
        .isEqualTo(ProviderSettings.of(Map.of("a", List.of("1"))))
        .isNotEqualTo(ProviderSettings.empty());
  }
}
