package io.azmesh.discovery.file;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviderFactory;
import io.azmesh.discovery.ProviderSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers {@link FileDiscoveryProvider} as {@code file}; its one setting is {@code inventory}.
 */
public final class FileDiscoveryProviderFactory implements DiscoveryProviderFactory {
  /** The setting naming the inventory file, the {@code --inventory} flag. */
  public static final String INVENTORY = "inventory";

  @Override
  public String name() {
    return FileDiscoveryProvider.NAME;
  }

  @Override
  public String description() {
    return "instances listed in a YAML or JSON inventory file (--inventory), watched for edits";
  }

  @Override
  public DiscoveryProvider create(ProviderSettings settings) {
    Set<String> unknown = new TreeSet<>(settings.keys());
    unknown.remove(INVENTORY);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "the file provider does not use "
              + String.join(", ", unknown.stream().map(k -> "--" + k).toList())
              + "; it reads only --inventory");
    }
    String value =
        settings
            .get(INVENTORY)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the file provider needs --inventory, the path of the inventory file"));
    try {
      return FileDiscoveryProvider.of(Path.of(value));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "--inventory is '" + value + "', not a valid path: " + e.getReason(), e);
    }
  }
}
