package io.azmesh.discovery.azure;

import io.azmesh.discovery.ProviderSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps the provider's named settings (the {@code meshctl} flag names without dashes) onto an {@link
 * AzureDiscoveryConfig}. A key that is not an azure setting is rejected, as the file provider does,
 * so a flag meant for another provider never goes unnoticed.
 */
public final class AzureSettings {
  public static final String SUBSCRIPTION = "subscription";
  public static final String RESOURCE_GROUP = "resource-group";
  public static final String TAG = "tag";
  public static final String EXCLUDE_TAG = "exclude-tag";
  public static final String AZURE_CLOUD = "azure-cloud";
  public static final String ARM_ENDPOINT = "arm-endpoint";
  public static final String ARM_AUDIENCE = "arm-audience";
  public static final String AUTHORITY_HOST = "authority-host";
  public static final String AUTH = "auth";
  public static final String CLIENT_ID = "client-id";
  public static final String TENANT_ID = "tenant-id";
  public static final String CLIENT_SECRET_FILE = "client-secret-file";
  public static final String DISCOVERY_MODE = "discovery-mode";
  public static final String TIMEOUT = "timeout";
  public static final String MAX_RETRIES = "max-retries";

  /** Read by the factory, which wraps the provider in a change-queue reader (docs/azure.md). */
  public static final String CHANGE_QUEUE = "change-queue";

  /** Every key the azure provider reads, in the order its documentation lists them. */
  public static final List<String> KEYS =
      List.of(
          SUBSCRIPTION,
          RESOURCE_GROUP,
          TAG,
          EXCLUDE_TAG,
          AZURE_CLOUD,
          ARM_ENDPOINT,
          ARM_AUDIENCE,
          AUTHORITY_HOST,
          AUTH,
          CLIENT_ID,
          TENANT_ID,
          CLIENT_SECRET_FILE,
          DISCOVERY_MODE,
          TIMEOUT,
          MAX_RETRIES,
          CHANGE_QUEUE);

  private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");

  private AzureSettings() {}

  /** The typed configuration; fails naming the setting and value when one is invalid. */
  public static AzureDiscoveryConfig toConfig(ProviderSettings settings) {
    Set<String> unknown = new TreeSet<>(settings.keys());
    KEYS.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "the azure provider does not use "
              + unknown.stream().map(k -> "--" + k).collect(Collectors.joining(", "))
              + "; it reads "
              + KEYS.stream().map(k -> "--" + k).collect(Collectors.joining(", ")));
    }
    AzureDiscoveryConfig.Builder builder = AzureDiscoveryConfig.builder();
    List<String> subscriptions = settings.getAll(SUBSCRIPTION);
    if (subscriptions.isEmpty()) {
      throw new IllegalArgumentException("setting subscription is required (at least one)");
    }
    subscriptions.forEach(builder::subscription);
    settings.getAll(RESOURCE_GROUP).forEach(builder::resourceGroup);
    builder.tags(
        new TagFilter(
            settings.getAll(TAG).stream().map(t -> TagCondition.parse(TAG, t)).toList(),
            settings.getAll(EXCLUDE_TAG).stream()
                .map(t -> TagCondition.parse(EXCLUDE_TAG, t))
                .toList()));
    builder.endpoints(endpoints(settings));
    builder.auth(auth(settings));
    settings
        .get(DISCOVERY_MODE)
        .ifPresent(v -> builder.mode(DiscoveryMode.fromSetting(DISCOVERY_MODE, v)));
    settings.get(TIMEOUT).ifPresent(v -> builder.timeout(duration(TIMEOUT, v)));
    settings
        .get(MAX_RETRIES)
        .ifPresent(
            v -> {
              RetrySettings defaults = RetrySettings.defaults();
              builder.retry(
                  new RetrySettings(
                      nonNegativeInt(MAX_RETRIES, v), defaults.baseDelay(), defaults.maxDelay()));
            });
    return builder.build();
  }

  private static ArmEndpoints endpoints(ProviderSettings settings) {
    AzureCloud cloud =
        settings
            .get(AZURE_CLOUD)
            .map(v -> AzureCloud.fromSetting(AZURE_CLOUD, v))
            .orElse(AzureCloud.PUBLIC);
    ArmEndpoints named = ArmEndpoints.of(cloud);
    Optional<URI> arm = settings.get(ARM_ENDPOINT).map(v -> uri(ARM_ENDPOINT, v));
    Optional<String> audience = settings.get(ARM_AUDIENCE);
    if (arm.isEmpty() && audience.isPresent()) {
      throw new IllegalArgumentException(
          "setting arm-audience is only used with arm-endpoint; azure-cloud "
              + cloud.settingName()
              + " has its own audience");
    }
    URI authority =
        settings.get(AUTHORITY_HOST).map(v -> uri(AUTHORITY_HOST, v)).orElse(named.authorityHost());
    return new ArmEndpoints(
        arm.orElse(named.resourceManager()),
        // A custom ARM (a private endpoint, a test fake) usually accepts tokens for its own URL.
        audience.orElse(arm.map(URI::toString).orElse(named.audience())),
        authority);
  }

  private static AzureAuth auth(ProviderSettings settings) {
    AuthMethod method =
        settings.get(AUTH).map(v -> AuthMethod.fromSetting(AUTH, v)).orElse(AuthMethod.DEFAULT);
    return new AzureAuth(
        method,
        settings.get(CLIENT_ID),
        settings.get(TENANT_ID),
        settings.get(CLIENT_SECRET_FILE).map(Path::of));
  }

  private static URI uri(String setting, String value) {
    try {
      URI uri = new URI(value);
      return uri.getPath() == null || uri.getPath().isEmpty() ? uri.resolve("/") : uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "setting " + setting + " is '" + value + "'; expected an https URL", e);
    }
  }

  static Duration duration(String setting, String value) {
    Matcher m = SHORT_DURATION.matcher(value.trim());
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      Duration parsed =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          };
      return requirePositive(setting, value, parsed);
    }
    try {
      return requirePositive(setting, value, Duration.parse(value.trim()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "setting " + setting + " is '" + value + "'; expected a duration such as 30s, 2m or PT1M",
          e);
    }
  }

  private static Duration requirePositive(String setting, String value, Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(
          "setting " + setting + " is '" + value + "'; expected a positive duration");
    }
    return duration;
  }

  private static int nonNegativeInt(String setting, String value) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the setting's name
    }
    throw new IllegalArgumentException(
        "setting " + setting + " is '" + value + "'; expected a whole number of 0 or more");
  }
}
