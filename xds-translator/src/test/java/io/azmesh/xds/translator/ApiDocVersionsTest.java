package io.azmesh.xds.translator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.XdsVersions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The versions docs/api.md shows are the ones azmesh computes for the resources its {@code GET
 * /api/snapshot} example shows, so the examples stay true when the version scheme changes.
 */
class ApiDocVersionsTest {
  private static final Path API_DOC = Path.of("..", "docs", "api.md");
  private static final Pattern VERSION = Pattern.compile("\"([0-9a-f]{16})\"");

  /** What acked_version shows for a type the client has not ACKed yet. */
  private static final String NONE_ACKED = "0000000000000000";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void apiDoc_snapshotExampleShowsTheVersionsOfItsResources() throws IOException {
    JsonNode snapshot = JSON.readTree(snapshotExample(Files.readString(API_DOC)));

    XdsVersions versions =
        XdsResources.of(
                parse(snapshot.get("clusters"), Cluster::newBuilder),
                parse(snapshot.get("endpoints"), ClusterLoadAssignment::newBuilder),
                parse(snapshot.get("listeners"), Listener::newBuilder),
                parse(snapshot.get("routes"), RouteConfiguration::newBuilder))
            .versions();

    Map<String, Object> expected = new TreeMap<>();
    expected.put("clusters", versions.clusters());
    expected.put("endpoints", versions.endpoints());
    expected.put("listeners", versions.listeners());
    expected.put("routes", versions.routes());
    expected.put("endpoints_by_cluster", versions.endpointsByCluster());
    assertThat(JSON.convertValue(snapshot.get("xds_versions"), Map.class)).isEqualTo(expected);
  }

  @Test
  void apiDoc_everyVersionShownIsOneOfTheSnapshotExamples() throws IOException {
    String doc = Files.readString(API_DOC);
    JsonNode shown = JSON.readTree(snapshotExample(doc)).get("xds_versions");
    Set<String> known = new TreeSet<>(Set.of(NONE_ACKED));
    shown.forEach(v -> v.forEach(byCluster -> known.add(byCluster.asText())));
    shown.forEach(v -> known.add(v.asText()));
    known.remove("");

    Set<String> used = new TreeSet<>();
    Matcher m = VERSION.matcher(doc);
    while (m.find()) {
      used.add(m.group(1));
    }

    assertThat(known).containsAll(used);
  }

  private static String snapshotExample(String doc) {
    int section = doc.indexOf("### `GET /api/snapshot`");
    int start = doc.indexOf("```json\n", section) + "```json\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  private static <T extends Message> List<T> parse(
      JsonNode resources, Supplier<? extends Message.Builder> builder) {
    List<T> parsed = new ArrayList<>();
    for (JsonNode resource : resources) {
      Message.Builder b = builder.get();
      try {
        JsonFormat.parser()
            .usingTypeRegistry(EnvoyTypes.REGISTRY)
            .merge(JSON.writeValueAsString(withoutType(resource)), b);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("docs/api.md: " + resource + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      @SuppressWarnings("unchecked") // The builder makes a T.
      T message = (T) b.build();
      parsed.add(message);
    }
    return parsed;
  }

  /** The top-level {@code @type} EnvoyJson adds names the resource's own type. */
  private static JsonNode withoutType(JsonNode resource) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = resource.deepCopy();
    copy.remove("@type");
    return copy;
  }
}
