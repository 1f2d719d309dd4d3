package io.azmesh.cli;

import io.azmesh.discovery.ProviderSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What serve discovers from, as one line saved with its state: the provider, the settings that
 * choose what it finds (inventory file, subscriptions, resource groups, tag filters, cloud and
 * endpoint) and the mesh configuration. A restart with another line does not serve the saved state.
 * Settings of how it is found (timeouts, retries, credentials) are left out: changing them changes
 * nothing the state describes.
 */
final class StateFingerprint {
  /** Provider settings that choose what is discovered, in the order they are written. */
  private static final List<String> WHAT =
      List.of(
          "inventory",
          "subscription",
          "resource-group",
          "tag",
          "exclude-tag",
          "azure-cloud",
          "arm-endpoint");

  private static final String MESH_CONFIG = "mesh config ";

  private StateFingerprint() {}

  /**
   * E.g. {@code provider file; inventory /srv/inventory.yaml; mesh config defaults} or {@code
   * provider azure; subscription 0000-…; tag mesh-service; mesh config /etc/azmesh/config.yaml
   * sha256 3f…}.
   */
  static String of(String provider, ProviderSettings settings, Optional<Path> configFile) {
    List<String> parts = new ArrayList<>();
    parts.add("provider " + provider);
    for (String key : WHAT) {
      List<String> values = settings.getAll(key);
      if (values.isEmpty()) {
        continue;
      }
      List<String> shown =
          key.equals("inventory")
              ? values.stream()
                  .map(v -> Path.of(v).toAbsolutePath().normalize().toString())
                  .toList()
              : values.stream().sorted().toList();
      parts.add(key + " " + String.join(",", shown));
    }
    parts.add(
        configFile
            .map(file -> meshConfig(file, ConfigFile.read(file).meshConfigText()))
            .orElse("mesh config defaults"));
    return String.join("; ", parts);
  }

  /**
   * {@code fingerprint} (made by {@link #of}) with the mesh configuration {@code file} holds now:
   * what a reload serves, so the state saved after it is bound to it.
   */
  static String reloaded(String fingerprint, Path file, String meshConfigText) {
    int mesh = fingerprint.lastIndexOf(MESH_CONFIG);
    String discovered = mesh < 0 ? fingerprint + "; " : fingerprint.substring(0, mesh);
    return discovered + meshConfig(file, meshConfigText);
  }

  private static String meshConfig(Path file, String meshConfigText) {
    return MESH_CONFIG + file.toAbsolutePath().normalize() + " sha256 " + sha256(meshConfigText);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
