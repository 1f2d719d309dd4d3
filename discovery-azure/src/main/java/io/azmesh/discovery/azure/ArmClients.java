package io.azmesh.discovery.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import com.azure.resourcemanager.resourcegraph.fluent.ResourceGraphClient;
import java.util.List;

/**
 * The SDK's generated ARM clients of one subscription, and the (tenant-wide) Resource Graph client.
 * These lower-level service clients make exactly the calls asked for; the fluent layer above them
 * would add GETs per resource.
 */
record ArmClients(
    String subscription,
    ComputeManagementClient compute,
    NetworkManagementClient network,
    ResourceGraphClient graph) {

  /** Clients for every subscription of {@code config}, sharing one HTTP pipeline. */
  static List<ArmClients> create(
      AzureDiscoveryConfig config, HttpClient httpClient, TokenCredential credential) {
    HttpPipeline pipeline = pipeline(config, httpClient, credential);
    AzureProfile anySubscription =
        new AzureProfile(null, config.subscriptions().get(0), config.endpoints().environment());
    ResourceGraphClient graph =
        ResourceGraphManager.authenticate(pipeline, anySubscription).serviceClient();
    return config.subscriptions().stream()
        .map(
            subscription -> {
              AzureProfile profile =
                  new AzureProfile(null, subscription, config.endpoints().environment());
              return new ArmClients(
                  subscription,
                  ComputeManager.authenticate(pipeline, profile).serviceClient(),
                  NetworkManager.authenticate(pipeline, profile).serviceClient(),
                  graph);
            })
        .toList();
  }

  /**
   * Retry (honouring {@code Retry-After} up to the refresh's deadline), then the bearer token, then
   * recording each attempt.
   */
  private static HttpPipeline pipeline(
      AzureDiscoveryConfig config, HttpClient httpClient, TokenCredential credential) {
    return new HttpPipelineBuilder()
        .httpClient(httpClient)
        .policies(
            new UserAgentPolicy("azmesh-discovery"),
            new RetryPolicy(new DeadlineAwareRetry(config.retry())),
            new BearerTokenAuthenticationPolicy(credential, config.endpoints().scope()),
            new RefreshCallPolicy())
        .build();
  }
}
