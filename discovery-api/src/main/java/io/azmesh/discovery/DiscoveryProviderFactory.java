package io.azmesh.discovery;

/**
 * Creates a {@link DiscoveryProvider} from settings. Implementations are registered in {@code
 * META-INF/services/io.azmesh.discovery.DiscoveryProviderFactory} and found by {@link
 * DiscoveryProviders}.
 */
public interface DiscoveryProviderFactory {

  /** The name users select the provider by, e.g. {@code azure}. Lower case, no spaces. */
  String name();

  /** One line saying what the provider discovers, for {@code --help} and listings. */
  String description();

  /**
   * Creates a provider.
   *
   * @throws IllegalArgumentException naming the setting and value when the settings are invalid
   */
  DiscoveryProvider create(ProviderSettings settings);
}
