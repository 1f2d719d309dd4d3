package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.file.FileDiscoveryProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryProvidersTest {

  @Test
  void load_findsTheFileProvider() {
    DiscoveryProviders providers = DiscoveryProviders.load();

    assertThat(providers.names()).containsExactly("file");
    assertThat(providers.factory("file").description())
        .isEqualTo(
            "instances listed in a YAML or JSON inventory file (--inventory), watched for edits");
  }

  @Test
  void create_passesTheSettings(@TempDir Path dir) {
    Path inventory = dir.resolve("inventory.yaml");
    ProviderSettings settings =
        ProviderSettings.of(Map.of("inventory", List.of(inventory.toString())));

    try (DiscoveryProvider provider = DiscoveryProviders.load().create("file", settings)) {
      assertThat(provider).isInstanceOf(FileDiscoveryProvider.class);
      assertThat(((FileDiscoveryProvider) provider).inventory()).isEqualTo(inventory);
    }
  }

  @Test
  void factory_namesTheKnownProvidersForAnUnknownName() {
    assertThatThrownBy(() -> DiscoveryProviders.load().factory("consul"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown discovery provider 'consul'; known providers: file");
  }

  @Test
  void load_rejectsTwoProvidersWithTheSameName(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services/" + DiscoveryProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, SecondFileProviderFactory.class.getName() + "\n");

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> DiscoveryProviders.load(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "discovery provider 'file' is registered twice: by"
                  + " io.azmesh.discovery.file.FileDiscoveryProviderFactory and by"
                  + " io.azmesh.discovery.SecondFileProviderFactory");
    }
  }

  @Test
  void load_withoutProviders_saysNoneAreKnown() throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      DiscoveryProviders providers = DiscoveryProviders.load(empty);

      assertThat(providers.names()).isEmpty();
      assertThatThrownBy(() -> providers.factory("file"))
          .hasMessage("unknown discovery provider 'file'; known providers: none");
    }
  }
}
