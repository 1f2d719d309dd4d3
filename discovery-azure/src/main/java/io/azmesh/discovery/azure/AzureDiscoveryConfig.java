package io.azmesh.discovery.azure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the azure provider discovers and how: the typed form of its settings, for library users.
 *
 * @param subscriptions subscription ids to search, at least one
 * @param resourceGroups resource groups to limit the search to; empty means all
 * @param tags which machines are in scope by their tags
 * @param endpoints the cloud (ARM, token audience, authority)
 * @param auth how to authenticate
 * @param mode how the inventory is read
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
      if (group.isBlank()) {
        throw new IllegalArgumentException("setting resource-group must not be blank");
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "setting timeout is '" + timeout + "'; expected a positive duration");
    }
    subscriptions = List.copyOf(subscriptions);
    resourceGroups = List.copyOf(resourceGroups);
  }

  /** Whether a resource group is in scope (names compare ignoring case, as in Azure). */
  public boolean includesResourceGroup(String resourceGroup) {
    return resourceGroups.isEmpty()
        || resourceGroups.stream().anyMatch(group -> group.equalsIgnoreCase(resourceGroup));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link AzureDiscoveryConfig}. Defaults: all resource groups, no tag filter, the
   * public cloud, {@code DefaultAzureCredential}, list-all, a 60 s timeout, {@link
   * RetrySettings#defaults()}.
   */
  public static final class Builder {
    private final List<String> subscriptions = new ArrayList<>();
    private final List<String> resourceGroups = new ArrayList<>();
    private TagFilter tags = TagFilter.all();
    private ArmEndpoints endpoints = ArmEndpoints.of(AzureCloud.PUBLIC);
    private AzureAuth auth = AzureAuth.defaults();
    private DiscoveryMode mode = DiscoveryMode.LIST_ALL;
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
