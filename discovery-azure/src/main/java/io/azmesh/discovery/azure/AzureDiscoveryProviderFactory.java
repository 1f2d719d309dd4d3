package io.azmesh.discovery.azure;

import com.azure.core.http.HttpClient;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviderFactory;
import io.azmesh.discovery.ProviderSettings;
import io.azmesh.discovery.azure.events.ChangeQueueConfig;
import io.azmesh.discovery.azure.events.ChangeQueueProvider;
import java.util.Optional;

/**
 * Registers the {@code azure} provider; the settings keys are listed in {@link AzureSettings}, plus
 * {@value AzureSettings#CHANGE_QUEUE}, which wraps it in a {@link ChangeQueueProvider}.
 */
public final class AzureDiscoveryProviderFactory implements DiscoveryProviderFactory {

  @Override
  public String name() {
    return AzureDiscoveryProvider.NAME;
  }

  @Override
  public String description() {
    return "Azure VMs and scale-set instances, by subscription, resource group and tags";
  }

  @Override
  public DiscoveryProvider create(ProviderSettings settings) {
    Optional<String> queue = settings.get(AzureSettings.CHANGE_QUEUE);
    AzureDiscoveryConfig config = AzureSettings.toConfig(settings);
    // The queue's URL is checked before anything starts.
    Optional<ChangeQueueConfig> changeQueue = queue.map(ChangeQueueConfig::of);
    AzureDiscoveryProvider provider = AzureDiscoveryProvider.create(config);
    if (changeQueue.isEmpty()) {
      return provider;
    }
    return ChangeQueueProvider.builder(provider, config.scopes(), changeQueue.get())
        .credential(
            () ->
                AzureCredentials.create(
                    config.auth(), config.endpoints(), HttpClient.createDefault()))
        .build();
  }
}
