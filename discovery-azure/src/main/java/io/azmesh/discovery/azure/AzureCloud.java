package io.azmesh.discovery.azure;

import com.azure.core.management.AzureEnvironment;

/** The Azure clouds selectable by name; a custom ARM endpoint is an {@link ArmEndpoints}. */
public enum AzureCloud {
  PUBLIC("public", AzureEnvironment.AZURE),
  CHINA("china", AzureEnvironment.AZURE_CHINA),
  USGOV("usgov", AzureEnvironment.AZURE_US_GOVERNMENT);

  private final String settingName;
  private final AzureEnvironment environment;

  AzureCloud(String settingName, AzureEnvironment environment) {
    this.settingName = settingName;
    this.environment = environment;
  }

  /** The value of the {@code azure-cloud} setting, e.g. {@code usgov}. */
  public String settingName() {
    return settingName;
  }

  /** The SDK's endpoints of this cloud. */
  AzureEnvironment environment() {
    return environment;
  }

  /** Parses {@code public}, {@code china} or {@code usgov}. */
  public static AzureCloud fromSetting(String setting, String value) {
    return SettingValues.parse(setting, value, AzureCloud.class, AzureCloud::settingName);
  }
}
