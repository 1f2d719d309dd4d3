package io.azmesh.discovery.azure;

/** How the provider gets its ARM token: the {@code auth} setting. */
public enum AuthMethod {
  /**
   * azure-identity's {@code DefaultAzureCredential}: environment service principal, workload
   * identity, managed identity, Azure CLI and the other developer tools, in that order.
   */
  DEFAULT("default"),
  /** A managed identity only; system-assigned, or user-assigned with {@code client-id}. */
  MANAGED_IDENTITY("managed-identity"),
  /** A service principal with {@code tenant-id}, {@code client-id} and a client secret. */
  SERVICE_PRINCIPAL("service-principal"),
  /** The Azure CLI's logged-in account ({@code az login}). */
  CLI("cli");

  private final String settingName;

  AuthMethod(String settingName) {
    this.settingName = settingName;
  }

  /** The value of the {@code auth} setting, e.g. {@code managed-identity}. */
  public String settingName() {
    return settingName;
  }

  /** Parses the {@code auth} setting's value. */
  public static AuthMethod fromSetting(String setting, String value) {
    return SettingValues.parse(setting, value, AuthMethod.class, AuthMethod::settingName);
  }
}
