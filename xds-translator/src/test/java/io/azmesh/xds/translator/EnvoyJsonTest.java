package io.azmesh.xds.translator;

import static io.azmesh.xds.translator.TestInstances.member;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvoyJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static XdsResources resources() {
    return new Translator()
        .translate(
            MeshConfig.defaults(),
            List.of(member("a", "10.0.0.1", "web"), member("b", "10.0.0.2", "api")),
            Set.of())
        .resources();
  }

  @Test
  void xds_listsEveryTypeWithVersionAndTypedResources() throws Exception {
    XdsResources resources = resources();

    JsonNode root = JSON.readTree(EnvoyJson.xds(resources));

    assertThat(root.fieldNames())
        .toIterable()
        .containsExactly("clusters", "endpoints", "listeners", "routes");
    assertThat(root.path("clusters").path("version").asText())
        .isEqualTo(resources.versions().clusters());
    assertThat(root.path("clusters").path("resources").get(0).path("@type").asText())
        .isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
    assertThat(root.path("endpoints").path("resources").size()).isEqualTo(2);
    assertThat(
            root.path("listeners")
                .path("resources")
                .get(1) // api, gateway, web
                .path("filter_chains")
                .get(0)
                .path("filters")
                .get(0)
                .path("typed_config")
                .path("@type")
                .asText())
        .isEqualTo(
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
  }

  @Test
  void resources_parseBackIntoTheSameMessages() throws Exception {
    XdsResources resources = resources();

    assertParsesBack(resources.clusters(), Cluster.class);
    assertParsesBack(resources.endpoints(), ClusterLoadAssignment.class);
    assertParsesBack(resources.listeners(), Listener.class);
    assertParsesBack(resources.routes(), RouteConfiguration.class);
  }

  /** Each written resource, read back as an Any of its type, equals the message written. */
  private static <M extends Message> void assertParsesBack(List<M> messages, Class<M> type)
      throws Exception {
    JsonFormat.Parser parser = JsonFormat.parser().usingTypeRegistry(EnvoyTypes.REGISTRY);
    JsonNode written = JSON.readTree(EnvoyJson.resources(messages));

    assertThat(messages).as(type.getSimpleName()).isNotEmpty();
    assertThat(written.size()).as(type.getSimpleName()).isEqualTo(messages.size());
    for (int i = 0; i < written.size(); i++) {
      Any.Builder any = Any.newBuilder();
      parser.merge(written.get(i).toString(), any);
      assertThat(any.build().unpack(type)).isEqualTo(messages.get(i));
    }
  }

  @Test
  void bootstrap_isStaticWithEndpointsAndRoutesInline() throws Exception {
    String json = EnvoyJson.bootstrap(resources());
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();

    JsonFormat.parser().usingTypeRegistry(EnvoyTypes.REGISTRY).merge(json, bootstrap);

    assertThat(bootstrap.getStaticResources().getClustersList())
        .extracting(
            c -> c.getName() + ":" + c.getType() + ":" + c.getLoadAssignment().getClusterName())
        .containsExactly("api:STATIC:api", "web:STATIC:web");
    assertThat(json).contains("\"route_config\"").doesNotContain("\"rds\"");
    assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getAddress())
        .isEqualTo("127.0.0.1");
  }
}
