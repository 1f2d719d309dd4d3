package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.ProviderSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFingerprintTest {
  @TempDir Path dir;

  private final ProviderSettings settings =
      ProviderSettings.of(Map.of("inventory", List.of("/srv/inventory.yaml")));

  @Test
  void withMeshConfig_isWhatARestartOnTheReloadedFileComputes() throws IOException {
    Path config = dir.resolve("azmesh.yaml");
    Files.writeString(config, "services:\n  web:\n    timeout: 5s\n");
    StateFingerprint started = StateFingerprint.of("file", settings, Optional.of(config));

    String edited = "services:\n  web:\n    timeout: 9s\n";
    Files.writeString(config, edited);
    StateFingerprint reloaded = started.withMeshConfig(config, edited);

    assertThat(reloaded)
        .isNotEqualTo(started)
        .isEqualTo(StateFingerprint.of("file", settings, Optional.of(config)));
    assertThat(reloaded.toString())
        .startsWith(
            "provider file; inventory /srv/inventory.yaml; mesh config " + config + " sha256 ");
  }

  @Test
  void withMeshConfig_ofAFingerprintStartedWithoutAConfigFileAddsTheFile() throws IOException {
    Path config = dir.resolve("azmesh.yaml");
    Files.writeString(config, "services: {}\n");
    StateFingerprint started = StateFingerprint.of("file", settings, Optional.empty());

    assertThat(started.toString())
        .isEqualTo("provider file; inventory /srv/inventory.yaml; mesh config defaults");
    assertThat(started.withMeshConfig(config, "services: {}\n"))
        .isEqualTo(StateFingerprint.of("file", settings, Optional.of(config)));
  }
}
