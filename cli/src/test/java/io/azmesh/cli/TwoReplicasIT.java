package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code meshctl serve} replicas on the same inventory, as the Terraform control plane runs
 * them behind a load balancer, with no coordination between them. Versions are content hashes, so
 * both publish the same versions for every type and every resource, and a client whose replica dies
 * resumes on the other without being sent anything it already holds.
 *
 * <p>The failover checks rely on the stream's order: the client re-subscribes with EDS last, then
 * the inventory changes one endpoint. In delta the first response must be that change and carry
 * only the changed ClusterLoadAssignment (the client named every version it holds in
 * initial_resource_versions). In SotW the client's last ACKed versions must be current: whatever
 * comes before the change repeats the version and the bytes the client holds. Once the client
 * half-closes, the server ends the stream having sent nothing else.
 */
class TwoReplicasIT {
  private static final Path JAR = Path.of(System.getProperty("meshctl.jar", "target/meshctl.jar"));
  private static final Path EXAMPLES =
      Path.of(System.getProperty("meshctl.examples", "../examples"));

  private static final Pattern FIRST_SNAPSHOT =
      Pattern.compile("snapshot-published snapshot 1: 2 services, ");
  private static final Pattern WEB_SCALED_OUT =
      Pattern.compile("snapshot-published snapshot \\d+: 2 services, 4 serving");

  /** One more web backend: a scale-out that changes the web ClusterLoadAssignment only. */
  private static final String WEB_2 =
      """
        - name: web-2
          private_ip: 10.0.0.6
          location: westeurope
          zone: "3"
          tags: {mesh-service: web, mesh-port: "8080"}
      """;

  @TempDir Path dir;

  private Path inventory;
  private ServeReplica first;
  private ServeReplica second;

  @BeforeEach
  void startTwoReplicas() throws IOException, InterruptedException {
    assertThat(JAR).as("the shaded jar is built by the package phase").exists();
    inventory = dir.resolve("inventory.yaml");
    Files.copy(EXAMPLES.resolve("inventory.yaml"), inventory);
    first = ServeReplica.start("first", JAR, inventory);
    second = ServeReplica.start("second", JAR, inventory);
    first.awaitLine(FIRST_SNAPSHOT);
    second.awaitLine(FIRST_SNAPSHOT);
  }

  @AfterEach
  void stopReplicas() throws InterruptedException {
    first.close();
    second.close();
  }

  @Test
  void sotw_replicasPublishIdenticalVersionsAndResources() throws InterruptedException {
    try (SotwAdsSession onFirst = SotwAdsSession.open(first.xdsPort(), "edge-0");
        SotwAdsSession onSecond = SotwAdsSession.open(second.xdsPort(), "edge-1")) {
      SotwAdsSession.Held fromFirst = onFirst.sync();
      SotwAdsSession.Held fromSecond = onSecond.sync();

      assertThat(fromFirst.versions()).hasSize(4).isEqualTo(fromSecond.versions());
      assertThat(fromFirst.resources()).isEqualTo(fromSecond.resources());
      assertThat(fromFirst.names(AdsResourceNames.ENDPOINT_TYPE_URL)).containsExactly("api", "web");
    }
  }

  @Test
  void delta_replicasPublishIdenticalVersionsPerResource() throws InterruptedException {
    try (DeltaAdsSession onFirst = DeltaAdsSession.open(first.xdsPort(), "edge-0");
        DeltaAdsSession onSecond = DeltaAdsSession.open(second.xdsPort(), "edge-1")) {
      DeltaAdsSession.Held fromFirst = onFirst.sync();
      DeltaAdsSession.Held fromSecond = onSecond.sync();

      assertThat(fromFirst.resources()).isEqualTo(fromSecond.resources());
      assertThat(fromFirst.versions()).hasSize(4).isEqualTo(fromSecond.versions());
      assertThat(fromFirst.names(AdsResourceNames.ENDPOINT_TYPE_URL)).containsExactly("api", "web");
    }
  }

  @Test
  void sotw_clientOfAKilledReplicaResumesOnTheOtherWithItsVersionsCurrent()
      throws IOException, InterruptedException {
    try (SotwAdsSession onFirst = SotwAdsSession.open(first.xdsPort(), "edge-0")) {
      SotwAdsSession.Held held = onFirst.sync();

      first.kill();
      assertThat(Status.fromThrowable(onFirst.events().nextError()).getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);

      try (SotwAdsSession onSecond = SotwAdsSession.open(second.xdsPort(), "edge-0")) {
        onSecond.resume(held);
        scaleOutWeb();

        // The protocol lets a SotW server answer a fresh stream's request again; whatever it
        // answers before the change must be what the client holds: same version, same bytes.
        DiscoveryResponse change = onSecond.events().nextResponse();
        while (!isNewEndpointsVersion(change, held)) {
          String type = change.getTypeUrl();
          assertThat(change.getVersionInfo())
              .as("version of the %s re-sent after the failover", type)
              .isEqualTo(held.versions().get(type));
          assertThat(change.getResourcesList())
              .as("%s re-sent after the failover", type)
              .allSatisfy(
                  r ->
                      assertThat(r)
                          .isEqualTo(held.resources().get(type).get(AdsResourceNames.name(r))));
          onSecond.ack(change, held.names(type));
          change = onSecond.events().nextResponse();
        }
        assertThat(change.getResourcesList())
            .filteredOn(r -> AdsResourceNames.name(r).equals("web"))
            .singleElement()
            .satisfies(web -> assertThat(endpointCount(web)).isEqualTo(3));
        onSecond.ack(change, held.names(AdsResourceNames.ENDPOINT_TYPE_URL));
        onSecond.halfClose();

        assertThat(onSecond.events().remainingUntilCompleted()).isEmpty();
      }
    }
  }

  @Test
  void delta_clientOfAKilledReplicaResumesOnTheOtherAndGetsOnlyTheChange()
      throws IOException, InterruptedException {
    try (DeltaAdsSession onFirst = DeltaAdsSession.open(first.xdsPort(), "edge-0")) {
      DeltaAdsSession.Held held = onFirst.sync();

      first.kill();
      assertThat(Status.fromThrowable(onFirst.events().nextError()).getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);

      resumeOnSecondAndExpectOnlyTheChange(held);
    }
  }

  @Test
  void delta_clientReconnectingToTheSameReplicaGetsOnlyTheChange()
      throws IOException, InterruptedException {
    // The same resume as a failover, without the second replica's versions in the picture: what
    // the delta failover needs from the server besides identical versions on every replica.
    DeltaAdsSession.Held held;
    try (DeltaAdsSession before = DeltaAdsSession.open(second.xdsPort(), "edge-0")) {
      held = before.sync();
    }
    resumeOnSecondAndExpectOnlyTheChange(held);
  }

  /** Resumes {@code held} on the second replica, scales out web, expects only web's new CLA. */
  private void resumeOnSecondAndExpectOnlyTheChange(DeltaAdsSession.Held held)
      throws IOException, InterruptedException {
    try (DeltaAdsSession onSecond = DeltaAdsSession.open(second.xdsPort(), "edge-0")) {
      onSecond.resume(held);
      scaleOutWeb();

      DeltaDiscoveryResponse change = onSecond.events().nextResponse();
      assertThat(change.getTypeUrl())
          .as(
              "first response after the resume; it carries %s while the client held %s",
              versions(change), held.versions().get(change.getTypeUrl()))
          .isEqualTo(AdsResourceNames.ENDPOINT_TYPE_URL);
      assertThat(change.getRemovedResourcesList()).isEmpty();
      assertThat(change.getResourcesList()).extracting(Resource::getName).containsExactly("web");
      Resource web = change.getResources(0);
      assertThat(web.getVersion())
          .isNotEqualTo(held.versions().get(AdsResourceNames.ENDPOINT_TYPE_URL).get("web"));
      assertThat(endpointCount(web.getResource())).isEqualTo(3);
      onSecond.ack(change);
      onSecond.halfClose();

      assertThat(onSecond.events().remainingUntilCompleted()).isEmpty();
    }
  }

  /** Adds web-2 with an atomic rename, as the file provider's docs ask, and waits for it. */
  private void scaleOutWeb() throws IOException, InterruptedException {
    Path next = dir.resolve("inventory.yaml.next");
    Files.writeString(
        next, Files.readString(inventory, StandardCharsets.UTF_8) + WEB_2, StandardCharsets.UTF_8);
    Files.move(next, inventory, StandardCopyOption.ATOMIC_MOVE);
    second.awaitLine(WEB_SCALED_OUT);
  }

  private static boolean isNewEndpointsVersion(
      DiscoveryResponse response, SotwAdsSession.Held held) {
    return response.getTypeUrl().equals(AdsResourceNames.ENDPOINT_TYPE_URL)
        && !response
            .getVersionInfo()
            .equals(held.versions().get(AdsResourceNames.ENDPOINT_TYPE_URL));
  }

  private static Map<String, String> versions(DeltaDiscoveryResponse response) {
    Map<String, String> versions = new TreeMap<>();
    response.getResourcesList().forEach(r -> versions.put(r.getName(), r.getVersion()));
    return versions;
  }

  private static int endpointCount(Any assignment) {
    return AdsResourceNames.unpack(assignment, ClusterLoadAssignment.class)
        .getEndpointsList()
        .stream()
        .mapToInt(locality -> locality.getLbEndpointsCount())
        .sum();
  }
}
