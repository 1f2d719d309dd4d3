package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.azmesh.xds.XdsVersions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every JSON endpoint's shape, read over HTTP from a server fed by a real {@code MeshState}. */
class StatusApiTest {

  private final ChangingMeshState state = new ChangingMeshState(MeshFixtures.published());
  private final StatusServer server =
      new StatusServer(
          StatusServerConfig.defaults().withPort(0),
          state,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
  private final StatusClient client = new StatusClient(server.start());

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void vms_seedContractFieldByField() {
    JsonNode body = client.json("/api/vms");

    assertThat(body.get("last_update").isTextual()).isTrue();
    assertThat(body.get("last_update").asText()).isEqualTo("2025-02-04T10:00:00Z");
    assertThat(body.get("total_vms").isInt()).isTrue();
    assertThat(body.get("total_vms").asInt()).isEqualTo(3);
    assertThat(body.get("snapshot_version").isIntegralNumber()).isTrue();
    assertThat(body.get("snapshot_version").asLong()).isEqualTo(15);
    JsonNode vms = body.get("vms");
    assertThat(vms.isArray()).isTrue();
    assertThat(vms).hasSize(3);
    assertThat(names(vms)).containsExactly("app-0", "app-1", "web-0");
    JsonNode app0 = vms.get(0);
    assertThat(app0.get("public_ip").asText()).isEqualTo("20.120.10.1");
    assertThat(app0.get("private_ip").asText()).isEqualTo("10.1.1.4");
    JsonNode app1 = vms.get(1);
    assertThat(app1.has("public_ip")).isTrue();
    assertThat(app1.get("public_ip").isNull()).isTrue();
    assertThat(app1.get("private_ip").asText()).isEqualTo("10.1.1.5");
  }

  @Test
  void vms_reportWhatTheSnapshotDidWithEachVm() {
    JsonNode vms = client.json("/api/vms").get("vms");

    JsonNode app0 = vms.get(0);
    assertThat(app0.get("id").asText()).isEqualTo("/subscriptions/s/vm/app-0");
    assertThat(app0.get("state").asText()).isEqualTo("serving");
    assertThat(app0.get("power_state").asText()).isEqualTo("running");
    assertThat(app0.get("kind").asText()).isEqualTo("vm");
    assertThat(app0.get("location").asText()).isEqualTo("westeurope");
    assertThat(app0.get("zone").asText()).isEqualTo("1");
    JsonNode endpoint = app0.get("endpoints").get(0);
    assertThat(endpoint.get("service").asText()).isEqualTo("app");
    assertThat(endpoint.get("cluster").asText()).isEqualTo("app");
    assertThat(endpoint.get("address").asText()).isEqualTo("10.1.1.4");
    assertThat(endpoint.get("port").asInt()).isEqualTo(8080);
    assertThat(endpoint.get("weight").asInt()).isEqualTo(3);
    assertThat(endpoint.get("state").asText()).isEqualTo("serving");
    assertThat(app0.get("problems")).isEmpty();

    JsonNode app1 = vms.get(1);
    assertThat(app1.get("state").asText()).isEqualTo("draining");
    assertThat(app1.get("power_state").asText()).isEqualTo("deallocating");
    assertThat(app1.get("kind").asText()).isEqualTo("scale_set_instance");

    JsonNode web0 = vms.get(2);
    assertThat(web0.get("state").asText()).isEqualTo("excluded");
    assertThat(web0.get("endpoints")).isEmpty();
    assertThat(web0.get("location").isNull()).isTrue();
    assertThat(web0.get("zone").isNull()).isTrue();
    assertThat(web0.get("problems").get(0).asText())
        .isEqualTo("web-0: tag mesh-port is 'http', not a port number");
  }

  @Test
  void vms_xdsVersionsSitBesideSnapshotVersion() {
    JsonNode body = client.json("/api/vms");
    XdsVersions versions = MeshFixtures.resources().versions();

    assertThat(body.get("published_at").asText()).isEqualTo("2025-02-04T10:00:01Z");
    JsonNode xds = body.get("xds_versions");
    assertThat(xds.get("clusters").asText()).isEqualTo(versions.clusters());
    assertThat(xds.get("endpoints").asText()).isEqualTo(versions.endpoints());
    assertThat(xds.get("listeners").asText()).isEqualTo(versions.listeners());
    assertThat(xds.get("routes").asText()).isEqualTo(versions.routes());
    assertThat(xds.get("endpoints_by_cluster").get("app").asText())
        .isEqualTo(versions.endpointsByCluster().get("app"));
  }

  @Test
  void vms_beforeFirstPublishAreEmptyWithVersionZero() {
    state.moveTo(MeshFixtures.fresh());

    JsonNode body = client.json("/api/vms");

    assertThat(body.get("last_update").isNull()).isTrue();
    assertThat(body.get("total_vms").asInt()).isZero();
    assertThat(body.get("snapshot_version").asLong()).isZero();
    assertThat(body.get("published_at").isNull()).isTrue();
    assertThat(body.get("xds_versions").isNull()).isTrue();
    assertThat(body.get("vms")).isEmpty();
  }

  @Test
  void services_countServingAndDrainingEndpointsPerCluster() {
    JsonNode body = client.json("/api/services");

    assertThat(body.get("snapshot_version").asLong()).isEqualTo(15);
    JsonNode services = body.get("services");
    assertThat(services).hasSize(2);
    JsonNode app = services.get(0);
    assertThat(app.get("service").asText()).isEqualTo("app");
    assertThat(app.get("cluster").asText()).isEqualTo("app");
    assertThat(app.get("ports").get(0).asInt()).isEqualTo(8080);
    assertThat(app.get("ports")).hasSize(1);
    assertThat(app.get("endpoints_version").asText())
        .isEqualTo(MeshFixtures.resources().versions().endpointsByCluster().get("app"));
    assertThat(app.get("endpoints_total").asInt()).isEqualTo(2);
    assertThat(app.get("endpoints_serving").asInt()).isEqualTo(1);
    assertThat(app.get("endpoints_draining").asInt()).isEqualTo(1);
    JsonNode first = app.get("endpoints").get(0);
    assertThat(first.get("instance").asText()).isEqualTo("app-0");
    assertThat(first.get("address").asText()).isEqualTo("10.1.1.4");
    assertThat(first.get("port").asInt()).isEqualTo(8080);
    assertThat(first.get("weight").asInt()).isEqualTo(3);
    assertThat(first.get("state").asText()).isEqualTo("serving");
    assertThat(app.get("endpoints").get(1).get("state").asText()).isEqualTo("draining");
  }

  @Test
  void services_clusterWithoutEndpointsIsListedEmpty() {
    JsonNode db = client.json("/api/services").get("services").get(1);

    assertThat(db.get("cluster").asText()).isEqualTo("db");
    assertThat(db.get("service").isNull()).isTrue();
    assertThat(db.get("ports")).isEmpty();
    assertThat(db.get("endpoints_version").isNull()).isTrue();
    assertThat(db.get("endpoints_total").asInt()).isZero();
    assertThat(db.get("endpoints")).isEmpty();
  }

  @Test
  void nodes_showSyncStateAndNackTextPerType() {
    JsonNode body = client.json("/api/nodes");
    XdsVersions versions = MeshFixtures.resources().versions();

    assertThat(body.get("snapshot_version").asLong()).isEqualTo(15);
    assertThat(body.get("xds_versions").get("endpoints").asText()).isEqualTo(versions.endpoints());
    JsonNode nodes = body.get("nodes");
    assertThat(nodes).hasSize(2);
    JsonNode lb = nodes.get(0);
    assertThat(lb.get("node_id").asText()).isEqualTo("envoy-lb-0");
    assertThat(lb.get("cluster").asText()).isEqualTo("edge");
    assertThat(lb.get("locality").asText()).isEqualTo("westeurope/1");
    assertThat(lb.get("user_agent").asText()).isEqualTo("envoy 1.31.0");
    assertThat(lb.get("connected_since").asText()).isEqualTo("2025-02-04T10:00:01Z");
    assertThat(lb.get("sync").asText()).isEqualTo("synced");
    JsonNode lbClusters = lb.get("types").get("clusters");
    assertThat(lbClusters.get("sent_version").asText()).isEqualTo(versions.clusters());
    assertThat(lbClusters.get("acked_version").asText()).isEqualTo(versions.clusters());
    assertThat(lbClusters.get("last_nack").isNull()).isTrue();

    JsonNode grpc = nodes.get(1);
    assertThat(grpc.get("node_id").asText()).isEqualTo("grpc-client-7");
    assertThat(grpc.get("locality").isNull()).isTrue();
    assertThat(grpc.get("sync").asText()).isEqualTo("nacked");
    JsonNode endpoints = grpc.get("types").get("endpoints");
    assertThat(endpoints.get("acked_version").asText()).isEqualTo("0000000000000000");
    JsonNode nack = endpoints.get("last_nack");
    assertThat(nack.get("version").asText()).isEqualTo(versions.endpoints());
    assertThat(nack.get("nonce").asText()).isEqualTo("7");
    assertThat(nack.get("error_detail").asText())
        .isEqualTo("ClusterLoadAssignment app: weight 0 is not allowed");
    assertThat(nack.get("at").asText()).isEqualTo("2025-02-04T10:00:04Z");
  }

  @Test
  void snapshot_isEnvoyJsonSortedByName() {
    JsonNode body = client.json("/api/snapshot");

    assertThat(body.get("snapshot_version").asLong()).isEqualTo(15);
    assertThat(body.get("published_at").asText()).isEqualTo("2025-02-04T10:00:01Z");
    assertThat(body.get("xds_versions").get("routes").asText())
        .isEqualTo(MeshFixtures.resources().versions().routes());
    JsonNode clusters = body.get("clusters");
    assertThat(clusters).hasSize(2);
    assertThat(clusters.get(0).get("@type").asText())
        .isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
    assertThat(clusters.get(0).get("name").asText()).isEqualTo("app");
    assertThat(clusters.get(0).get("type").asText()).isEqualTo("EDS");
    assertThat(clusters.get(0).get("connect_timeout").asText()).isEqualTo("1s");
    assertThat(clusters.get(1).get("name").asText()).isEqualTo("db");
    JsonNode lbEndpoints = body.get("endpoints").get(0).get("endpoints").get(0).get("lb_endpoints");
    assertThat(lbEndpoints.get(1).get("health_status").asText()).isEqualTo("DRAINING");
    assertThat(
            lbEndpoints
                .get(0)
                .get("endpoint")
                .get("address")
                .get("socket_address")
                .get("address")
                .asText())
        .isEqualTo("10.1.1.4");
    JsonNode hcm = body.get("listeners").get(0).get("api_listener").get("api_listener");
    assertThat(hcm.get("@type").asText())
        .isEqualTo(
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
                + ".HttpConnectionManager");
    assertThat(hcm.get("rds").get("route_config_name").asText()).isEqualTo("app");
    assertThat(body.get("routes").get(0).get("name").asText()).isEqualTo("app");
  }

  @Test
  void snapshot_beforeFirstPublishIsUnavailable() {
    state.moveTo(MeshFixtures.fresh());

    HttpResponse<String> response = client.get("/api/snapshot");

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode body = StatusClient.parse(response);
    assertThat(body.get("status").asInt()).isEqualTo(503);
    assertThat(body.get("message").asText()).isEqualTo("no snapshot published yet");
  }

  @Test
  void problems_listDiscoveryAndTranslationProblemsWithProviderHealth() {
    JsonNode body = client.json("/api/problems");

    assertThat(body.get("provider").asText()).isEqualTo("azure");
    assertThat(body.get("last_success").asText()).isEqualTo("2025-02-04T10:00:00Z");
    assertThat(body.get("last_attempt").asText()).isEqualTo("2025-02-04T10:00:20Z");
    assertThat(body.get("consecutive_failures").asInt()).isEqualTo(2);
    assertThat(body.get("total_failures").asLong()).isEqualTo(5);
    JsonNode error = body.get("last_error");
    assertThat(error.get("cause").asText()).isEqualTo("throttled");
    assertThat(error.get("message").asText())
        .isEqualTo("Azure Resource Graph answered 429, retry after 10s");
    assertThat(error.get("at").asText()).isEqualTo("2025-02-04T10:00:20Z");

    JsonNode problems = body.get("problems");
    assertThat(problems).hasSize(3);
    JsonNode missing = problems.get(0);
    assertThat(missing.get("source").asText()).isEqualTo("discovery");
    assertThat(missing.get("subject").asText()).isEqualTo("vm-9");
    assertThat(missing.get("field").asText()).isEqualTo("private_ip");
    assertThat(missing.get("value").isNull()).isTrue();
    assertThat(missing.get("message").asText())
        .isEqualTo("vm-9: private_ip is missing, a VM needs a private IP to be an endpoint");
    JsonNode badPort = problems.get(1);
    assertThat(badPort.get("source").asText()).isEqualTo("translation");
    assertThat(badPort.get("value").asText()).isEqualTo("http");
    assertThat(badPort.get("reason").asText()).isEqualTo("not a port number");
    assertThat(badPort.get("message").asText())
        .isEqualTo("web-0: tag mesh-port is 'http', not a port number");
    JsonNode orphanRoute = problems.get(2);
    assertThat(orphanRoute.get("source").asText()).isEqualTo("translation");
    assertThat(orphanRoute.get("subject").asText()).isEqualTo("gateway edge");
    assertThat(orphanRoute.get("field").asText()).isEqualTo("route /db");
    assertThat(orphanRoute.get("value").asText()).isEqualTo("db");
    assertThat(orphanRoute.get("message").asText())
        .isEqualTo("gateway edge: route /db is 'db', names a service with no instances");

    JsonNode held = body.get("held_removals").get(0);
    assertThat(held.get("service").asText()).isEqualTo("app");
    assertThat(held.get("current").asInt()).isEqualTo(4);
    assertThat(held.get("proposed").asInt()).isEqualTo(1);
    assertThat(held.get("seen").asInt()).isEqualTo(1);
    assertThat(held.get("required").asInt()).isEqualTo(3);
    assertThat(held.get("since").asText()).isEqualTo("2025-02-04T10:00:00Z");
    assertThat(held.get("not_before").asText()).isEqualTo("2025-02-04T10:01:00Z");
    JsonNode rejection = body.get("last_rejection");
    assertThat(rejection.get("at").asText()).isEqualTo("2025-02-04T09:59:01Z");
    assertThat(rejection.get("violations").get(0).asText())
        .isEqualTo("cluster 'app': connect_timeout must be > 0");
  }

  @Test
  void problems_beforeFirstAttemptAreEmpty() {
    state.moveTo(MeshFixtures.fresh());

    JsonNode body = client.json("/api/problems");

    assertThat(body.get("last_success").isNull()).isTrue();
    assertThat(body.get("last_attempt").isNull()).isTrue();
    assertThat(body.get("last_error").isNull()).isTrue();
    assertThat(body.get("last_rejection").isNull()).isTrue();
    assertThat(body.get("consecutive_failures").asInt()).isZero();
    assertThat(body.get("problems")).isEmpty();
    assertThat(body.get("held_removals")).isEmpty();
  }

  @Test
  void history_fromStart_holdsASampleOfEveryServiceAndNoAckLatencyYet() {
    JsonNode body = client.json("/api/history");

    assertThat(body.get("interval_seconds").asLong()).isEqualTo(10);
    assertThat(body.get("capacity").asInt()).isEqualTo(360);
    JsonNode sample = body.get("samples").get(0);
    assertThat(sample.get("at").asText()).isEqualTo("2025-02-04T10:00:30Z");
    assertThat(sample.get("snapshot_version").asLong()).isEqualTo(15);
    JsonNode app = sample.get("services").get(0);
    assertThat(app.get("service").asText()).isEqualTo("app");
    assertThat(app.get("serving").asInt()).isEqualTo(1);
    assertThat(app.get("draining").asInt()).isEqualTo(1);
    assertThat(app.get("total").asInt()).isEqualTo(2);
    assertThat(sample.get("services").get(1).get("service").asText()).isEqualTo("db");
    assertThat(sample.has("change_to_ack")).isTrue();
    assertThat(sample.get("change_to_ack").isNull()).isTrue();
  }

  private static List<String> names(JsonNode vms) {
    List<String> names = new ArrayList<>();
    vms.forEach(vm -> names.add(vm.get("name").asText()));
    return names;
  }
}
