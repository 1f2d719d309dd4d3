package io.azmesh.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;

/** Sample template values, as the modules' templatefile() calls would pass them. */
final class CloudInitSamples {

  static final Path BACKEND = TerraformTree.module("backend-vms").resolve("cloud-init.yaml.tftpl");
  static final Path CONTROL_PLANE =
      TerraformTree.module("control-plane").resolve("cloud-init.yaml.tftpl");
  static final Path EDGE = TerraformTree.module("envoy-lb").resolve("cloud-init.yaml.tftpl");

  static final String JAR_SHA256 =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";

  static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

  /** What control-plane/main.tf's serve_args becomes for one tag filter and the default ports. */
  static final String SERVE_ARGS =
      ServeArguments.of(
          Map.of(
              "azurerm_user_assigned_identity.control_plane.client_id", CLIENT_ID,
              "local.discovery_scope[2]", SUBSCRIPTION,
              "local.discovery_scope[4]", "azmesh-backends",
              "t", "mesh-service",
              "var.xds_port", "18000",
              "var.status_port", "8080"));

  static final String CA_PEM =
      "-----BEGIN CERTIFICATE-----\nMIIBsample0ca\n-----END CERTIFICATE-----\n";
  static final String SERVER_CERT_PEM =
      "-----BEGIN CERTIFICATE-----\nMIIBsample0server\n-----END CERTIFICATE-----\n" + CA_PEM;
  static final String SERVER_KEY_PEM =
      "-----BEGIN PRIVATE KEY-----\nMIGHsample0key\n-----END PRIVATE KEY-----\n";
  static final String STATUS_TOKEN = "s4mpleStatusT0kenOfFortyEightLettersAndDigits0000";

  static final String ENVOY_PACKAGE = "envoy-1.38";
  static final String ENVOY_KEY_FINGERPRINT = "0AFCE836BA4D1D35763C8523D8CDC3750181F31F";

  private CloudInitSamples() {}

  static Map<String, String> backend() {
    return Map.of("service_name", "demo", "service_port", "8080");
  }

  /** Control plane values; {@code meshConfigJson} is what jsonencode(mesh_config) gives, or "". */
  static Map<String, String> controlPlane(String meshConfigJson) {
    return controlPlane("https://example.com/releases/meshctl-0.1.0.jar", "", meshConfigJson);
  }

  /**
   * Control plane values for a jar at {@code jarUrl}, read with the managed identity {@code
   * jarIdentityClientId} or, when it is "", without credentials.
   */
  static Map<String, String> controlPlane(
      String jarUrl, String jarIdentityClientId, String meshConfigJson) {
    return Map.of(
        "meshctl_jar_url", jarUrl,
        "meshctl_jar_sha256", JAR_SHA256,
        "jar_identity_client_id", jarIdentityClientId,
        "serve_args", SERVE_ARGS,
        "mesh_config_json", meshConfigJson,
        "xds_cert_json", json(SERVER_CERT_PEM),
        "xds_key_json", json(SERVER_KEY_PEM),
        "status_token_json", json(STATUS_TOKEN));
  }

  static Map<String, String> edge(
      String xdsHost, int xdsPort, String nodeId, String nodeCluster, int adminPort) {
    return edge(xdsHost, xdsPort, nodeId, nodeCluster, adminPort, "DELTA_GRPC", 1024, 25000);
  }

  /** Edge values as envoy-lb's templatefile() passes them: the API type and limits computed. */
  static Map<String, String> edge(
      String xdsHost,
      int xdsPort,
      String nodeId,
      String nodeCluster,
      int adminPort,
      String xdsApiType,
      long maxHeapMib,
      long maxDownstreamConnections) {
    return Map.ofEntries(
        Map.entry("xds_host", xdsHost),
        Map.entry("xds_port", Integer.toString(xdsPort)),
        Map.entry("node_id", nodeId),
        Map.entry("node_cluster", nodeCluster),
        Map.entry("admin_port", Integer.toString(adminPort)),
        Map.entry("xds_api_type", xdsApiType),
        Map.entry("max_heap_bytes", Long.toString(maxHeapMib * 1048576)),
        Map.entry("max_downstream_connections", Long.toString(maxDownstreamConnections)),
        Map.entry("xds_ca_json", json(CA_PEM)),
        Map.entry("envoy_package", ENVOY_PACKAGE),
        Map.entry("envoy_key_fingerprint", ENVOY_KEY_FINGERPRINT));
  }

  /** What Terraform's jsonencode() makes of a string. */
  static String json(String text) {
    try {
      return new ObjectMapper().writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The edge template rendered with the sample values of {@link #all()}. */
  static CloudConfig renderedEdge() {
    return CloudConfig.render(EDGE, all().get(EDGE));
  }

  /** Every template with one set of sample values. */
  static Map<Path, Map<String, String>> all() {
    return Map.of(
        BACKEND, backend(),
        CONTROL_PLANE, controlPlane(""),
        EDGE, edge("10.40.2.10", 18000, "azmesh-edge-0", "azmesh-edge", 9901));
  }
}
