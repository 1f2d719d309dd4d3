package io.azmesh.xds.server;

import io.azmesh.xds.XdsVersions;
import io.envoyproxy.controlplane.cache.Resources;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When the control loop saw the change that produced each recent version of each resource type, so
 * an ACK of that version can be timed from it.
 */
final class ChangeTimes {
  /** Versions remembered per type; an ACK of an older one is not timed. */
  private static final int REMEMBERED = 16;

  private final Map<String, Map<String, Instant>> byType = new HashMap<>();
  private final Map<String, String> current = new HashMap<>();

  /** Notes the versions that differ from the last publish as changed at {@code seenAt}. */
  synchronized void published(XdsVersions versions, Instant seenAt) {
    Objects.requireNonNull(seenAt, "seenAt");
    note(Resources.V3.CLUSTER_TYPE_URL, versions.clusters(), seenAt);
    note(Resources.V3.ENDPOINT_TYPE_URL, versions.endpoints(), seenAt);
    note(Resources.V3.LISTENER_TYPE_URL, versions.listeners(), seenAt);
    note(Resources.V3.ROUTE_TYPE_URL, versions.routes(), seenAt);
  }

  private void note(String typeUrl, String version, Instant seenAt) {
    if (version.equals(current.put(typeUrl, version))) {
      return;
    }
    Map<String, Instant> versions =
        byType.computeIfAbsent(
            typeUrl,
            url ->
                new LinkedHashMap<>() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                    return size() > REMEMBERED;
                  }
                });
    // A version published again (a drain undone) changed again now.
    versions.remove(version);
    versions.put(version, seenAt);
  }

  /** When the change that produced this version of the type was seen, if it is remembered. */
  synchronized Optional<Instant> seen(String typeUrl, String version) {
    return Optional.ofNullable(byType.getOrDefault(typeUrl, Map.of()).get(version));
  }
}
