package io.azmesh.xds.server.serving;

import io.azmesh.xds.XdsVersions;
import java.time.Instant;
import java.util.EnumMap;
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

  private final Map<XdsType, Map<String, Instant>> byType = new EnumMap<>(XdsType.class);
  private final Map<XdsType, String> current = new EnumMap<>(XdsType.class);

  /** Notes the versions that differ from the last publish as changed at {@code seenAt}. */
  synchronized void published(XdsVersions versions, Instant seenAt) {
    Objects.requireNonNull(seenAt, "seenAt");
    note(XdsType.CLUSTERS, versions.clusters(), seenAt);
    note(XdsType.ENDPOINTS, versions.endpoints(), seenAt);
    note(XdsType.LISTENERS, versions.listeners(), seenAt);
    note(XdsType.ROUTES, versions.routes(), seenAt);
  }

  private void note(XdsType type, String version, Instant seenAt) {
    if (version.equals(current.put(type, version))) {
      return;
    }
    Map<String, Instant> versions =
        byType.computeIfAbsent(
            type,
            t ->
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
  synchronized Optional<Instant> seen(XdsType type, String version) {
    return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(version));
  }
}
