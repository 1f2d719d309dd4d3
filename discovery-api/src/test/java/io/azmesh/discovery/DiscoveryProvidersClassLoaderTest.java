package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Loads the registry through a fresh class loader that sees only this module's classes and its
 * runtime dependencies, as an application server or a plugin host would. The {@code file} provider
 * must be found there through its own service file, not through the test's class path.
 */
class DiscoveryProvidersClassLoaderTest {

  @Test
  void fileProvider_loadsAndDiscoversInASeparateClassLoader(@TempDir Path dir) throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, "instances:\n  - name: web-0\n    private_ip: 10.0.0.4\n");

    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {
              locationOf(DiscoveryProviders.class),
              locationOf(JsonFactory.class),
              locationOf(ObjectMapper.class),
              locationOf(YAMLFactory.class),
              locationOf(org.yaml.snakeyaml.LoaderOptions.class),
              locationOf(LoggerFactory.class)
            },
            ClassLoader.getPlatformClassLoader())) {
      Class<?> registryClass = loader.loadClass(DiscoveryProviders.class.getName());
      assertThat(registryClass).isNotSameAs(DiscoveryProviders.class);

      Object registry = registryClass.getMethod("load").invoke(null);
      @SuppressWarnings("unchecked")
      Set<String> names = (Set<String>) registryClass.getMethod("names").invoke(registry);
      assertThat(names).containsExactly("file");

      Class<?> settingsClass = loader.loadClass(ProviderSettings.class.getName());
      Object settings =
          settingsClass
              .getMethod("of", Map.class)
              .invoke(null, Map.of("inventory", List.of(inventory.toString())));
      Method create = registryClass.getMethod("create", String.class, settingsClass);
      try (AutoCloseable provider = (AutoCloseable) create.invoke(registry, "file", settings)) {
        assertThat(provider.getClass().getClassLoader()).isSameAs(loader);
        Object discovery = provider.getClass().getMethod("discover").invoke(provider);
        List<?> instances = (List<?>) discovery.getClass().getMethod("instances").invoke(discovery);
        assertThat(instances).hasSize(1);
      }
    }
  }

  private static URL locationOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }
}
