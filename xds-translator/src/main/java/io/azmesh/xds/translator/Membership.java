package io.azmesh.xds.translator;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a translation of instances alone would make of their membership, without building any
 * resource: the services each running instance serves in, and every service there would be a
 * cluster for. The control loop plans drains and held removals from it before it translates what it
 * publishes.
 *
 * @param servingIn by instance id, the services the instance is a serving endpoint of; instances
 *     that serve nowhere are absent
 * @param named by instance id, the services its tags name that the config admits: each gets a
 *     cluster, whether or not the instance serves in it (stopped, or a bad tag); instances that
 *     name none are absent
 * @param services every service the translation would publish a cluster for: listed in the config,
 *     routed to by a gateway, or named by an instance's tags and admitted
 */
public record Membership(
    Map<String, List<String>> servingIn, Map<String, List<String>> named, Set<String> services) {
  public Membership {
    Objects.requireNonNull(servingIn, "servingIn");
    Objects.requireNonNull(named, "named");
    Objects.requireNonNull(services, "services");
  }
}
