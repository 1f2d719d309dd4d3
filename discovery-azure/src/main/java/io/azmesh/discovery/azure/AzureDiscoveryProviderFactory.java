package io.azmesh.discovery.azure;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviderFactory;
import io.azmesh.discovery.ProviderSettings;

/** Registers the {@code azure} provider; the settings keys are listed in {@link AzureSettings}. */
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
    return AzureDiscoveryProvider.create(AzureSettings.toConfig(settings));
  }
}
