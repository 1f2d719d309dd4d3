package io.azmesh.discovery.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Configuration;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the azure-identity credential an {@link AzureAuth} asks for. Secrets are never logged. */
final class AzureCredentials {
  static final String CLIENT_SECRET_VARIABLE = "AZURE_CLIENT_SECRET";

  private AzureCredentials() {}

  static TokenCredential create(AzureAuth auth, ArmEndpoints endpoints, HttpClient httpClient) {
    String authority = endpoints.authorityHost().toString();
    return switch (auth.method()) {
      case DEFAULT -> {
        DefaultAzureCredentialBuilder builder =
            new DefaultAzureCredentialBuilder().authorityHost(authority).httpClient(httpClient);
        auth.clientId().ifPresent(builder::managedIdentityClientId);
        auth.tenantId().ifPresent(builder::tenantId);
        if (!endpoints.hasNamedCloudAuthority()) {
          builder.disableInstanceDiscovery();
        }
        yield builder.build();
      }
      case MANAGED_IDENTITY -> {
        ManagedIdentityCredentialBuilder builder =
            new ManagedIdentityCredentialBuilder().httpClient(httpClient);
        auth.clientId().ifPresent(builder::clientId);
        yield builder.build();
      }
      case SERVICE_PRINCIPAL -> {
        ClientSecretCredentialBuilder builder =
            new ClientSecretCredentialBuilder()
                .tenantId(auth.tenantId().orElseThrow())
                .clientId(auth.clientId().orElseThrow())
                .clientSecret(clientSecret(auth))
                .authorityHost(authority)
                .httpClient(httpClient);
        if (!endpoints.hasNamedCloudAuthority()) {
          builder.disableInstanceDiscovery();
        }
        yield builder.build();
      }
      case CLI -> {
        AzureCliCredentialBuilder builder = new AzureCliCredentialBuilder();
        auth.tenantId().ifPresent(builder::tenantId);
        yield builder.build();
      }
    };
  }

  private static String clientSecret(AzureAuth auth) {
    if (auth.clientSecretFile().isPresent()) {
      Path file = auth.clientSecretFile().get();
      String secret;
      try {
        secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "setting client-secret-file is '"
                + file
                + "'; cannot read it ("
                + e.getClass().getSimpleName()
                + ")",
            e);
      }
      if (secret.isEmpty()) {
        throw new IllegalArgumentException(
            "setting client-secret-file is '" + file + "'; the file is empty");
      }
      return secret;
    }
    String secret = Configuration.getGlobalConfiguration().get(CLIENT_SECRET_VARIABLE);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(
          "auth service-principal needs a client secret: set client-secret-file or the "
              + CLIENT_SECRET_VARIABLE
              + " environment variable");
    }
    return secret.strip();
  }
}
