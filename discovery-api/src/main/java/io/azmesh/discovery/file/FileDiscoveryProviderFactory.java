package io.azmesh.discovery.file;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviderFactory;
import io.azmesh.discovery.ProviderSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers {@link FileDiscoveryProvider} as {@code file}; its settings are {@code inventory} and
 * {@code inventory-settle}.
 */
public final class FileDiscoveryProviderFactory implements DiscoveryProviderFactory {
  /** The setting naming the inventory file, the {@code --inventory} flag. */
  public static final String INVENTORY = "inventory";

  /**
   * The setting for how long new content must stay unchanged before it is parsed, the {@code
   * --inventory-settle} flag: an ISO-8601 duration; 0 for writers that only rename whole files into
   * place.
   */
  public static final String SETTLE = "inventory-settle";

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
    unknown.remove(SETTLE);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "the file provider does not use "
              + String.join(", ", unknown.stream().map(k -> "--" + k).toList())
              + "; it reads only --inventory and --inventory-settle");
    }
    String value =
        settings
            .get(INVENTORY)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the file provider needs --inventory, the path of the inventory file"));
    Duration settle = FileDiscoveryProvider.DEFAULT_SETTLE;
    Optional<String> settleText = settings.get(SETTLE);
    if (settleText.isPresent()) {
      try {
        settle = Duration.parse(settleText.get());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--inventory-settle is '" + settleText.get() + "', not a duration", e);
      }
      if (settle.isNegative()) {
        throw new IllegalArgumentException(
            "--inventory-settle is '" + settleText.get() + "', a negative duration");
      }
    }
    try {
      return FileDiscoveryProvider.builder(Path.of(value)).settle(settle).build();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "--inventory is '" + value + "', not a valid path: " + e.getReason(), e);
    }
  }
}
