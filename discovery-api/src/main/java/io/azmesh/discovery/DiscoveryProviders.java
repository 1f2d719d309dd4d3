package io.azmesh.discovery;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of {@link DiscoveryProviderFactory} implementations found by ServiceLoader. */
public final class DiscoveryProviders {
  private final Map<String, DiscoveryProviderFactory> factories;

  private DiscoveryProviders(Map<String, DiscoveryProviderFactory> factories) {
    this.factories = Collections.unmodifiableSortedMap(new TreeMap<>(factories));
  }

  /** The providers visible to this class's class loader. */
  public static DiscoveryProviders load() {
    return load(DiscoveryProviders.class.getClassLoader());
  }

  /** The providers visible to {@code classLoader}; fails if two share a name. */
  public static DiscoveryProviders load(ClassLoader classLoader) {
    Map<String, DiscoveryProviderFactory> found = new TreeMap<>();
    for (DiscoveryProviderFactory factory :
        ServiceLoader.load(DiscoveryProviderFactory.class, classLoader)) {
      DiscoveryProviderFactory previous = found.putIfAbsent(factory.name(), factory);
      if (previous != null) {
        throw new IllegalStateException(
            "discovery provider '"
                + factory.name()
                + "' is registered twice: by "
                + previous.getClass().getName()
                + " and by "
                + factory.getClass().getName());
      }
    }
    return new DiscoveryProviders(found);
  }

  /** The registered names, sorted. */
  public java.util.Set<String> names() {
    return factories.keySet();
  }

  /** The factory registered as {@code name}; fails naming the known ones otherwise. */
  public DiscoveryProviderFactory factory(String name) {
    DiscoveryProviderFactory factory = factories.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown discovery provider '"
              + name
              + "'; known providers: "
              + (factories.isEmpty() ? "none" : String.join(", ", factories.keySet())));
    }
    return factory;
  }

  /** Creates the provider registered as {@code name}. */
  public DiscoveryProvider create(String name, ProviderSettings settings) {
    return factory(name).create(settings);
  }
}
