package io.azmesh.discovery.azure;

import com.azure.core.management.AzureEnvironment;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where ARM and Entra ID (AAD) are: the ARM endpoint, the token audience ARM expects, and the
 * authority that issues tokens. A named cloud fixes all three; private endpoints and test fakes
 * give them explicitly.
 *
 * @param resourceManager ARM endpoint, e.g. {@code https://management.azure.com/}
 * @param audience the resource tokens are requested for, e.g. {@code
 *     https://management.core.windows.net/}
 * @param authorityHost the Entra ID host, e.g. {@code https://login.microsoftonline.com/}
 */
public record ArmEndpoints(URI resourceManager, String audience, URI authorityHost) {

  public ArmEndpoints {
    Objects.requireNonNull(resourceManager, "resourceManager");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(authorityHost, "authorityHost");
    requireHttps("arm-endpoint", resourceManager);
    requireHttps("authority-host", authorityHost);
    if (audience.isBlank()) {
      throw new IllegalArgumentException("setting arm-audience must not be blank");
    }
  }

  /** The endpoints of a named cloud. */
  public static ArmEndpoints of(AzureCloud cloud) {
    AzureEnvironment environment = cloud.environment();
    return new ArmEndpoints(
        URI.create(environment.getResourceManagerEndpoint()),
        environment.getManagementEndpoint(),
        URI.create(environment.getActiveDirectoryEndpoint()));
  }

  /**
   * The OAuth scope for ARM tokens. Like the SDK's own pipeline, it appends {@code /.default} to
   * the audience as given (a trailing slash makes {@code //.default}, which Entra ID expects for
   * the classic management audience).
   */
  public String scope() {
    return audience + "/.default";
  }

  /**
   * Whether the authority is a named cloud's Entra ID. Others (a private authority, a test fake)
   * are not in Entra ID's instance-discovery list, so credentials must skip that check.
   */
  boolean hasNamedCloudAuthority() {
    for (AzureCloud cloud : AzureCloud.values()) {
      if (URI.create(cloud.environment().getActiveDirectoryEndpoint()).equals(authorityHost)) {
        return true;
      }
    }
    return false;
  }

  /** The SDK environment with these endpoints, so the SDK's clients talk to this ARM. */
  AzureEnvironment environment() {
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", resourceManager.toString());
    endpoints.put("managementEndpointUrl", audience);
    endpoints.put("activeDirectoryEndpointUrl", authorityHost.toString());
    return new AzureEnvironment(endpoints);
  }

  private static void requireHttps(String setting, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "setting "
              + setting
              + " is '"
              + uri
              + "'; expected an https URL (Azure SDK sends bearer tokens over https only)");
    }
  }
}
