package io.azmesh.discovery.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import java.util.List;

/**
 * The SDK's generated ARM clients of one subscription. These lower-level service clients make
 * exactly the list calls asked for; the fluent layer above them would add GETs per resource.
 */
record ArmClients(
    String subscription, ComputeManagementClient compute, NetworkManagementClient network) {

  /** Clients for every subscription of {@code config}, sharing one HTTP pipeline. */
  static List<ArmClients> create(
      AzureDiscoveryConfig config, HttpClient httpClient, TokenCredential credential) {
    HttpPipeline pipeline = pipeline(config, httpClient, credential);
    return config.subscriptions().stream()
        .map(
            subscription -> {
              AzureProfile profile =
                  new AzureProfile(null, subscription, config.endpoints().environment());
              return new ArmClients(
                  subscription,
                  ComputeManager.authenticate(pipeline, profile).serviceClient(),
                  NetworkManager.authenticate(pipeline, profile).serviceClient());
            })
        .toList();
  }

  /** Retry (honouring {@code Retry-After}), then the bearer token, then counting each attempt. */
  private static HttpPipeline pipeline(
      AzureDiscoveryConfig config, HttpClient httpClient, TokenCredential credential) {
    RetrySettings retry = config.retry();
    RetryOptions retryOptions =
        new RetryOptions(
            new ExponentialBackoffOptions()
                .setMaxRetries(retry.maxRetries())
                .setBaseDelay(retry.baseDelay())
                .setMaxDelay(retry.maxDelay()));
    return new HttpPipelineBuilder()
        .httpClient(httpClient)
        .policies(
            new UserAgentPolicy("azmesh-discovery"),
            new RetryPolicy(retryOptions),
            new BearerTokenAuthenticationPolicy(credential, config.endpoints().scope()),
            new RequestCounter())
        .build();
  }
}
