package io.azmesh.cli;

import io.azmesh.discovery.ProviderSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What serve discovers from, saved with its state: the provider and the settings that choose what
 * it finds (inventory file, subscriptions, resource groups, tag filters, cloud and endpoint), and
 * the mesh configuration. A restart with another fingerprint does not serve the saved state.
 * Settings of how it is found (timeouts, retries, credentials) are left out: changing them changes
 * nothing the state describes.
 *
 * @param discovered e.g. {@code provider azure; subscription 0000-…; tag mesh-service}
 * @param meshConfig {@code mesh config defaults}, or the file and the SHA-256 of its mesh
 *     configuration
 */
record StateFingerprint(String discovered, String meshConfig) {
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

  StateFingerprint {
    Objects.requireNonNull(discovered, "discovered");
    Objects.requireNonNull(meshConfig, "meshConfig");
  }

  static StateFingerprint of(
      String provider, ProviderSettings settings, Optional<Path> configFile) {
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
    return new StateFingerprint(
        String.join("; ", parts),
        configFile
            .map(file -> meshConfig(file, ConfigFile.read(file).meshConfigText()))
            .orElse("mesh config defaults"));
  }

  /** The same discovery with the mesh configuration {@code file} holds now, as a reload serves. */
  StateFingerprint withMeshConfig(Path file, String meshConfigText) {
    return new StateFingerprint(discovered, meshConfig(file, meshConfigText));
  }

  /**
   * The line saved with the state, e.g. {@code provider file; inventory /srv/inventory.yaml; mesh
   * config defaults}.
   */
  @Override
  public String toString() {
    return discovered + "; " + meshConfig;
  }

  private static String meshConfig(Path file, String meshConfigText) {
    return "mesh config " + file.toAbsolutePath().normalize() + " sha256 " + sha256(meshConfigText);
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
