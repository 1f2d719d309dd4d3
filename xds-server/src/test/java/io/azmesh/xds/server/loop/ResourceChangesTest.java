package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.util.Durations;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.ResourceChanges.Change;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceChangesTest {
  private static Cluster cluster(String name, int timeoutSeconds) {
    return Cluster.newBuilder()
        .setName(name)
        .setConnectTimeout(Durations.fromSeconds(timeoutSeconds))
        .build();
  }

  private static RouteConfiguration routes(String name) {
    return RouteConfiguration.newBuilder().setName(name).build();
  }

  @Test
  void between_namesAddedChangedAndRemovedResourcesByType() {
    XdsResources before =
        XdsResources.of(
            List.of(cluster("web", 5), cluster("api", 5), cluster("old", 5)),
            List.of(),
            List.of(),
            List.of(routes("gateway")));
    XdsResources after =
        XdsResources.of(
            List.of(cluster("web", 30), cluster("api", 5), cluster("shop", 5)),
            List.of(),
            List.of(),
            List.of(routes("gateway")));

    ResourceChanges changes = ResourceChanges.between(before, after);

    assertThat(changes.clusters())
        .containsExactly(
            entry("old", Change.REMOVED),
            entry("shop", Change.ADDED),
            entry("web", Change.CHANGED));
    assertThat(changes.routes()).isEmpty();
    assertThat(changes.describe()).isEqualTo("clusters: old removed, shop added, web changed");
  }

  @Test
  void between_sameResources_isEmpty() {
    XdsResources same =
        XdsResources.of(List.of(cluster("web", 5)), List.of(), List.of(), List.of());

    ResourceChanges changes = ResourceChanges.between(same, same);

    assertThat(changes.isEmpty()).isTrue();
    assertThat(changes.describe()).isEqualTo("no resource changed");
  }
}
