package io.azmesh.discovery.azure;

/** How the inventory is read: the {@code discovery-mode} setting. */
public enum DiscoveryMode {
  /**
   * List calls per subscription (VMs, their power states, NICs, public IPs, scale sets) and per
   * uniform scale set, joined locally. Reads ARM itself, so it never lags.
   */
  LIST_ALL("list-all");

  private final String settingName;

  DiscoveryMode(String settingName) {
    this.settingName = settingName;
  }

  /** The value of the {@code discovery-mode} setting. */
  public String settingName() {
    return settingName;
  }

  /** Parses the {@code discovery-mode} setting's value. */
  public static DiscoveryMode fromSetting(String setting, String value) {
    return SettingValues.parse(setting, value, DiscoveryMode.class, DiscoveryMode::settingName);
  }
}
