package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.xds.server.loop.PublishedSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two {@code meshctl serve} replicas in the middle of a configuration rollout: one serves the old
 * mesh configuration, the other the new one, on the same inventory. Their versions differ (they are
 * content hashes of different resources); a proxy that moves from one to the other, and back, must
 * get that replica's Cluster and then its endpoints, and ACK both, without stalling.
 */
class ConfigRolloutTest {
  private static final String OLD =
      "services:\n  greeter:\n    protocol: grpc\n"
          + "    health_check: {kind: grpc, interval: 5s}\n";
  private static final String NEW = OLD.replace("interval: 5s", "interval: 3s");

  @TempDir Path dir;
  private Serving onOld;
  private Serving onNew;

  @BeforeEach
  void startTwoReplicas() throws Exception {
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            "instances:\n  - name: greeter-0\n    private_ip: 10.0.0.4\n    zone: \"1\"\n"
                + "    location: westeurope\n    tags: {mesh-service: greeter, mesh-port: \"50051\"}\n");
    onOld = start("old", inventory, OLD);
    onNew = start("new", inventory, NEW);
  }

  @AfterEach
  void stop() {
    onOld.close();
    onNew.close();
  }

  @ParameterizedTest
  @EnumSource(WarmingAdsSession.Mode.class)
  void proxyMovingBetweenReplicasOfTwoConfigs_getsEachOnesClusterThenEndpoints(
      WarmingAdsSession.Mode mode) throws Exception {
    WarmingAdsSession.Held held;
    try (WarmingAdsSession first = WarmingAdsSession.sync(mode, onOld.xdsPort(), "edge-0")) {
      held = first.held();
    }
    assertThat(held.clusters().get("greeter").getHealthChecks(0).getInterval().getSeconds())
        .isEqualTo(5);

    held = moveTo(onNew, mode, held, 3);
    moveTo(onOld, mode, held, 5);
  }

  /**
   * Resumes {@code held} on {@code replica} as a proxy does after losing its replica, expects the
   * replica's greeter Cluster (health checked every {@code interval} seconds) and then its
   * endpoints, and the replica to see both ACKed.
   */
  private WarmingAdsSession.Held moveTo(
      Serving replica, WarmingAdsSession.Mode mode, WarmingAdsSession.Held held, long interval)
      throws Exception {
    try (WarmingAdsSession moved =
        WarmingAdsSession.resume(mode, replica.xdsPort(), "edge-0", held)) {
      WarmingAdsSession.ClusterUpdate update = moved.awaitClusterUpdate();

      assertThat(update.warmed()).containsOnlyKeys("greeter");
      assertThat(update.warmed().get("greeter").getHealthChecks(0).getInterval().getSeconds())
          .isEqualTo(interval);
      assertThat(update.endpoints()).containsOnlyKeys("greeter");
      PublishedSnapshot served = replica.state().published().orElseThrow();
      Await.until(
          () ->
              acked(replica, "clusters", served.resources().versions().clusters())
                  && acked(replica, "endpoints", served.resources().versions().endpoints()),
          "the replica sees the clusters and the endpoints ACKed");
      return moved.held();
    }
  }

  private static boolean acked(Serving replica, String type, String version) {
    return replica.state().nodes().stream()
        .filter(n -> n.nodeId().equals("edge-0") && n.connectedSince().isPresent())
        .map(n -> n.types().get(type))
        .anyMatch(t -> t != null && t.ackedVersion().equals(Optional.of(version)));
  }

  private Serving start(String name, Path inventory, String mesh) throws Exception {
    Path config = Files.writeString(dir.resolve(name + ".yaml"), mesh);
    // Each replica its own state: replicas never share a state directory.
    return ParsedServe.startWithConfig(config, inventory, dir.resolve("state-" + name));
  }
}
