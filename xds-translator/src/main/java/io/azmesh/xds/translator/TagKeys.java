package io.azmesh.xds.translator;

import java.util.HashSet;
import java.util.List;

/**
 * The tag keys that map an instance into the mesh.
 *
 * @param service names the services of an instance, comma separated; default {@code mesh-service}
 * @param port overrides the service port for the instance; default {@code mesh-port}
 * @param weight the load-balancing weight 1..128; default {@code mesh-weight}
 * @param healthPath the HTTP health-check path of the service; default {@code mesh-health-path}
 */
public record TagKeys(String service, String port, String weight, String healthPath) {

  /** The documented default keys. */
  public static final TagKeys DEFAULT =
      new TagKeys("mesh-service", "mesh-port", "mesh-weight", "mesh-health-path");

  public TagKeys {
    service = keyOrDefault(service, "mesh-service", "service");
    port = keyOrDefault(port, "mesh-port", "port");
    weight = keyOrDefault(weight, "mesh-weight", "weight");
    healthPath = keyOrDefault(healthPath, "mesh-health-path", "health_path");
    if (new HashSet<>(List.of(service, port, weight, healthPath)).size() != 4) {
      throw new IllegalArgumentException(
          "tag keys must differ, got service="
              + service
              + ", port="
              + port
              + ", weight="
              + weight
              + ", health_path="
              + healthPath);
    }
  }

  private static String keyOrDefault(String key, String fallback, String field) {
    if (key == null) {
      return fallback;
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("tag key " + field + " must not be blank");
    }
    return key;
  }
}
