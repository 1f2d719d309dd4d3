package io.azmesh.discovery.azure;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which credential to use and its non-secret parameters. The client secret itself is never held
 * here: it is read from {@code clientSecretFile} (or the {@code AZURE_CLIENT_SECRET} environment
 * variable) only when the credential is built.
 *
 * @param method how to authenticate
 * @param clientId the user-assigned managed identity's or the service principal's client id
 * @param tenantId the tenant of the service principal (or of the default chain)
 * @param clientSecretFile a file holding the service principal's secret
 */
public record AzureAuth(
    AuthMethod method,
    Optional<String> clientId,
    Optional<String> tenantId,
    Optional<Path> clientSecretFile) {

  public AzureAuth {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientSecretFile, "clientSecretFile");
    if (method == AuthMethod.SERVICE_PRINCIPAL) {
      if (tenantId.isEmpty()) {
        throw new IllegalArgumentException(
            "setting tenant-id is required with auth service-principal");
      }
      if (clientId.isEmpty()) {
        throw new IllegalArgumentException(
            "setting client-id is required with auth service-principal");
      }
    }
    if (clientSecretFile.isPresent() && method != AuthMethod.SERVICE_PRINCIPAL) {
      throw new IllegalArgumentException(
          "setting client-secret-file is only used with auth service-principal, not with auth "
              + method.settingName());
    }
  }

  /** {@code DefaultAzureCredential} with no overrides. */
  public static AzureAuth defaults() {
    return new AzureAuth(AuthMethod.DEFAULT, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A system-assigned managed identity, or a user-assigned one when {@code clientId} is given. */
  public static AzureAuth managedIdentity(Optional<String> clientId) {
    return new AzureAuth(AuthMethod.MANAGED_IDENTITY, clientId, Optional.empty(), Optional.empty());
  }
}
