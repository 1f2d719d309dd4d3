package io.azmesh.discovery.azure;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one set of listings is made: a whole subscription, or one resource group of it. ARM
 * authorizes a listing at its scope, so Reader on a resource group is enough for that group's
 * listings, while a subscription-wide listing needs Reader on the subscription.
 *
 * @param subscription subscription id
 * @param resourceGroup the resource group, or empty for the whole subscription
 */
public record ListingScope(String subscription, Optional<String> resourceGroup) {

  public ListingScope {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
  }

  static ListingScope subscriptionWide(String subscription) {
    return new ListingScope(subscription, Optional.empty());
  }

  static ListingScope resourceGroup(String subscription, String resourceGroup) {
    return new ListingScope(subscription, Optional.of(resourceGroup));
  }

  /** The ARM scope, e.g. {@code /subscriptions/{s}/resourceGroups/{g}}. */
  public String armScope() {
    return "/subscriptions/"
        + subscription
        + resourceGroup.map(group -> "/resourceGroups/" + group).orElse("");
  }

  /** For messages: {@code subscription {s}} or {@code resource group {g} of subscription {s}}. */
  public String describe() {
    return resourceGroup
        .map(group -> "resource group " + group + " of subscription " + subscription)
        .orElse("subscription " + subscription);
  }

  /** The scope an ARM request path lists in, or empty when the path names no subscription. */
  static Optional<ListingScope> ofPath(String path) {
    String[] parts = path.split("/");
    // "", "subscriptions", sub, ["resourceGroups", rg,] ...
    if (parts.length < 3 || !parts[1].equalsIgnoreCase("subscriptions") || parts[2].isEmpty()) {
      return Optional.empty();
    }
    if (parts.length >= 5 && parts[3].equalsIgnoreCase("resourceGroups") && !parts[4].isEmpty()) {
      return Optional.of(resourceGroup(parts[2], parts[4]));
    }
    return Optional.of(subscriptionWide(parts[2]));
  }
}
