package io.azmesh.terraform;

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

  static final String SERVE_ARGS =
      "--provider azure --auth managed-identity --client-id "
          + CLIENT_ID
          + " --subscription 00000000-0000-0000-0000-000000000000 --resource-group azmesh-backends"
          + " --tag mesh-service --xds-bind 0.0.0.0 --xds-port 18000 --status-bind 0.0.0.0"
          + " --status-port 8080";

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
        "mesh_config_json", meshConfigJson);
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
    return Map.of(
        "xds_host",
        xdsHost,
        "xds_port",
        Integer.toString(xdsPort),
        "node_id",
        nodeId,
        "node_cluster",
        nodeCluster,
        "admin_port",
        Integer.toString(adminPort),
        "xds_api_type",
        xdsApiType,
        "max_heap_bytes",
        Long.toString(maxHeapMib * 1048576),
        "max_downstream_connections",
        Long.toString(maxDownstreamConnections));
  }

  /** Every template with one set of sample values. */
  static Map<Path, Map<String, String>> all() {
    return Map.of(
        BACKEND, backend(),
        CONTROL_PLANE, controlPlane(""),
        EDGE, edge("10.40.2.10", 18000, "azmesh-edge-0", "azmesh-edge", 9901));
  }
}
