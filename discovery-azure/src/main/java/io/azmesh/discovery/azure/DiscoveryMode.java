package io.azmesh.discovery.azure;

/**
 * Where power states come from: the {@code discovery-mode} setting. Everything else (VMs, tags,
 * NICs, public IPs, scale sets) is always read from ARM's own listings, which never lag.
 */
public enum DiscoveryMode {
  /**
   * Per scope: a whole subscription from its {@code statusOnly=true} VM listing; a resource group
   * from Azure Resource Graph, which needs no more than Reader on the group (the statusOnly listing
   * exists only subscription-wide, and {@code $expand=instanceView} needs a {@code $filter}).
   */
  AUTO("auto"),
  /**
   * Every scope from the subscription's {@code statusOnly=true} VM listing: never stale, but a
   * resource-group scope then needs Reader on its whole subscription.
   */
  LIST_ALL("list-all"),
  /** Every scope from Azure Resource Graph: one query per refresh, but its index can lag ARM. */
  RESOURCE_GRAPH("resource-graph");

  private final String settingName;

  DiscoveryMode(String settingName) {
    this.settingName = settingName;
  }

  /** The value of the {@code discovery-mode} setting. */
  public String settingName() {
    return settingName;
  }

  /** Whether this mode reads the power states of {@code scope} from Resource Graph. */
  boolean usesResourceGraph(ListingScope scope) {
    return this == RESOURCE_GRAPH || (this == AUTO && scope.resourceGroup().isPresent());
  }

  /** Parses the {@code discovery-mode} setting's value. */
  public static DiscoveryMode fromSetting(String setting, String value) {
    return SettingValues.parse(setting, value, DiscoveryMode.class, DiscoveryMode::settingName);
  }
}
