package io.azmesh.discovery.azure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the azure provider discovers and how: the typed form of its settings, for library users.
 *
 * @param subscriptions subscription ids to search, at least one
 * @param resourceGroups resource groups to limit the search to, each a name (in every subscription)
 *     or {@code <subscription-id>/<name>} (in that subscription only); empty means whole
 *     subscriptions. Each group is listed on its own, so Reader on the groups is enough
 * @param tags which machines are in scope by their tags
 * @param endpoints the cloud (ARM, token audience, authority)
 * @param auth how to authenticate
 * @param mode where power states are read (see {@link DiscoveryMode})
 * @param timeout bound on one whole refresh, retries and {@code Retry-After} waits included
 * @param retry the SDK's retry of throttled and failed requests
 */
public record AzureDiscoveryConfig(
    List<String> subscriptions,
    List<String> resourceGroups,
    TagFilter tags,
    ArmEndpoints endpoints,
    AzureAuth auth,
    DiscoveryMode mode,
    Duration timeout,
    RetrySettings retry) {

  // Azure's rule for resource group names; it also keeps quotes out of the Resource Graph query.
  private static final Pattern GROUP_NAME = Pattern.compile("^[\\p{L}\\p{N}_.()\\-]{1,90}$");
  private static final Pattern GUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  public AzureDiscoveryConfig {
    Objects.requireNonNull(subscriptions, "subscriptions");
    Objects.requireNonNull(resourceGroups, "resourceGroups");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    if (subscriptions.isEmpty()) {
      throw new IllegalArgumentException("setting subscription is required (at least one)");
    }
    Set<String> seen = new HashSet<>();
    for (String subscription : subscriptions) {
      if (!GUID.matcher(subscription).matches()) {
        throw new IllegalArgumentException(
            "setting subscription is '" + subscription + "'; expected a subscription id (a GUID)");
      }
      if (!seen.add(subscription.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "setting subscription gives '" + subscription + "' twice");
      }
    }
    for (String group : resourceGroups) {
      checkResourceGroup(group, seen);
    }
    subscriptions = List.copyOf(subscriptions);
    resourceGroups = List.copyOf(resourceGroups);
    for (String subscription : subscriptions) {
      if (scopesOf(subscription, resourceGroups).isEmpty()) {
        throw new IllegalArgumentException(
            "setting subscription gives '"
                + subscription
                + "', but every resource-group names another subscription; add a resource-group"
                + " for it or drop it");
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "setting timeout is '" + timeout + "'; expected a positive duration");
    }
  }

  /**
   * Where the listings are made, in order: each subscription as a whole when no resource group is
   * given, else each resource group that applies to it (a group named twice is listed once).
   */
  public List<ListingScope> scopes() {
    return subscriptions.stream().flatMap(s -> scopesOf(s, resourceGroups).stream()).toList();
  }

  private static List<ListingScope> scopesOf(String subscription, List<String> resourceGroups) {
    if (resourceGroups.isEmpty()) {
      return List.of(ListingScope.subscriptionWide(subscription));
    }
    Map<String, ListingScope> scopes = new LinkedHashMap<>();
    for (String group : resourceGroups) {
      int slash = group.indexOf('/');
      if (slash < 0 || group.substring(0, slash).equalsIgnoreCase(subscription)) {
        String name = group.substring(slash + 1);
        scopes.putIfAbsent(
            name.toLowerCase(Locale.ROOT), ListingScope.resourceGroup(subscription, name));
      }
    }
    return List.copyOf(scopes.values());
  }

  /**
   * A resource group is {@code name} or {@code <subscription-id>/<name>} of a given subscription.
   */
  private static void checkResourceGroup(String group, Set<String> subscriptions) {
    if (group.isBlank()) {
      throw new IllegalArgumentException("setting resource-group must not be blank");
    }
    String[] parts = group.split("/", -1);
    if (parts.length > 2 || parts[parts.length - 1].isBlank()) {
      throw new IllegalArgumentException(
          "setting resource-group is '"
              + group
              + "'; expected a resource group name or <subscription-id>/<name>");
    }
    if (!GROUP_NAME.matcher(parts[parts.length - 1]).matches()) {
      throw new IllegalArgumentException(
          "setting resource-group is '"
              + group
              + "'; a resource group name has 1 to 90 letters, digits, '_', '.', '(', ')' or '-'");
    }
    if (parts.length == 2 && !subscriptions.contains(parts[0].toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "setting resource-group is '"
              + group
              + "', but '"
              + parts[0]
              + "' is not one of the subscription settings");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link AzureDiscoveryConfig}. Defaults: all resource groups, no tag filter, the
   * public cloud, {@code DefaultAzureCredential}, mode auto, a 60 s timeout, {@link
   * RetrySettings#defaults()}.
   */
  public static final class Builder {
    private final List<String> subscriptions = new ArrayList<>();
    private final List<String> resourceGroups = new ArrayList<>();
    private TagFilter tags = TagFilter.all();
    private ArmEndpoints endpoints = ArmEndpoints.of(AzureCloud.PUBLIC);
    private AzureAuth auth = AzureAuth.defaults();
    private DiscoveryMode mode = DiscoveryMode.AUTO;
    private Duration timeout = Duration.ofSeconds(60);
    private RetrySettings retry = RetrySettings.defaults();

    private Builder() {}

    public Builder subscription(String subscription) {
      subscriptions.add(subscription);
      return this;
    }

    public Builder resourceGroup(String resourceGroup) {
      resourceGroups.add(resourceGroup);
      return this;
    }

    public Builder tags(TagFilter tags) {
      this.tags = tags;
      return this;
    }

    public Builder endpoints(ArmEndpoints endpoints) {
      this.endpoints = endpoints;
      return this;
    }

    public Builder auth(AzureAuth auth) {
      this.auth = auth;
      return this;
    }

    public Builder mode(DiscoveryMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder retry(RetrySettings retry) {
      this.retry = retry;
      return this;
    }

    public AzureDiscoveryConfig build() {
      return new AzureDiscoveryConfig(
          subscriptions, resourceGroups, tags, endpoints, auth, mode, timeout, retry);
    }
  }
}
