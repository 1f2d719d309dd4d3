package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each cloud-init template, rendered with sample values, is a cloud-config that boots its tier. */
class CloudInitTest {

  static Stream<Arguments> templates() {
    return CloudInitSamples.all().entrySet().stream()
        .map(e -> Arguments.of(e.getKey().getParent().getFileName().toString(), e.getKey()));
  }

  private static CloudConfig rendered(Path template) {
    return CloudConfig.render(template, CloudInitSamples.all().get(template));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void template_rendersToCloudConfigYaml(String module, Path template) {
    CloudConfig config = rendered(template);

    assertThat(config.rendered()).startsWith("#cloud-config\n");
    assertThat(config.document().isObject()).isTrue();
    assertThat(config.writtenFiles())
        .isNotEmpty()
        .allSatisfy(
            file -> {
              assertThat(file.path("path").asText()).startsWith("/");
              assertThat(file.path("content").asText()).isNotBlank();
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void template_runsEverySystemdUnitItWritesAndRestartsItOnFailure(String module, Path template) {
    CloudConfig config = rendered(template);
    List<JsonNode> units =
        config.writtenFiles().stream()
            .filter(f -> f.path("path").asText().startsWith("/etc/systemd/system/"))
            .toList();

    assertThat(units).hasSize(1);
    for (JsonNode unit : units) {
      String path = unit.path("path").asText();
      String name = path.substring(path.lastIndexOf('/') + 1);
      assertThat(unit.path("content").asText())
          .contains("\nExecStart=/")
          .contains("\nRestart=on-failure\n")
          .contains("\nDynamicUser=yes\n")
          .contains("\nWantedBy=multi-user.target\n");
      assertThat(config.commands())
          .containsSubsequence("systemctl daemon-reload", "systemctl enable --now " + name);
    }
  }

  @Test
  void backend_servesItsHostNameOnTheServicePort() {
    CloudConfig config = rendered(CloudInitSamples.BACKEND);

    assertThat(config.requireFile("/opt/azmesh-demo/server.py"))
        .contains("HOST = socket.gethostname()")
        .contains("\"/healthz\"");
    assertThat(config.requireFile("/etc/systemd/system/azmesh-demo.service"))
        .contains("ExecStart=/usr/bin/python3 /opt/azmesh-demo/server.py 8080\n");
  }

  @Test
  void controlPlane_installsJava17FromTheDistribution() {
    JsonNode packages = rendered(CloudInitSamples.CONTROL_PLANE).document().path("packages");

    assertThat(packages.toString()).contains("\"openjdk-17-jre-headless\"");
  }

  @Test
  void controlPlane_runsTheJarOnlyAfterItsSha256Matched() {
    CloudConfig config = rendered(CloudInitSamples.CONTROL_PLANE);

    String install = config.requireFile("/usr/local/sbin/azmesh-install-meshctl");
    assertThat(install)
        .startsWith("#!/bin/sh\n")
        .contains("set -eu\n")
        .containsSubsequence(
            "until fetch /opt/azmesh/meshctl.jar.download; do",
            "echo '"
                + CloudInitSamples.JAR_SHA256
                + "  /opt/azmesh/meshctl.jar.download' | sha256sum -c -",
            "mv /opt/azmesh/meshctl.jar.download /opt/azmesh/meshctl.jar");
    assertThat(config.commands())
        .containsSubsequence(
            "/usr/local/sbin/azmesh-install-meshctl",
            "systemctl enable --now azmesh-control-plane.service");
    assertThat(config.requireFile("/etc/systemd/system/azmesh-control-plane.service"))
        .contains("\nConditionPathExists=/opt/azmesh/meshctl.jar\n");
  }

  @Test
  void controlPlane_downloadsAPublicUrlWithoutCredentials() {
    String install =
        rendered(CloudInitSamples.CONTROL_PLANE)
            .requireFile("/usr/local/sbin/azmesh-install-meshctl");

    assertThat(install)
        .contains("URL='https://example.com/releases/meshctl-0.1.0.jar'\n")
        .contains("CLIENT_ID=''\n")
        .contains("curl -fsSL --retry 5 --retry-connrefused -o \"$1\" \"$URL\"\n");
  }

  @Test
  void controlPlane_readsAPrivateBlobWithItsManagedIdentity() {
    String blob = "https://azmeshjar0123456789.blob.core.windows.net/meshctl/meshctl-abc.jar";
    String install =
        CloudConfig.render(
                CloudInitSamples.CONTROL_PLANE,
                CloudInitSamples.controlPlane(blob, CloudInitSamples.CLIENT_ID, ""))
            .requireFile("/usr/local/sbin/azmesh-install-meshctl");

    assertThat(install)
        .contains("URL='" + blob + "'\n")
        .contains("CLIENT_ID='" + CloudInitSamples.CLIENT_ID + "'\n")
        .contains(
            "IMDS_TOKEN='http://169.254.169.254/metadata/identity/oauth2/token"
                + "?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F'\n")
        .contains("curl -fsS -H Metadata:true \"$IMDS_TOKEN&client_id=$CLIENT_ID\"")
        .contains(
            "curl -fsSL -H \"Authorization: Bearer $token\" -H 'x-ms-version: 2021-08-06' -o"
                + " \"$1\" \"$URL\"\n");
  }

  @Test
  void controlPlane_servesWithTheArgumentsTerraformComputed() {
    String unit =
        rendered(CloudInitSamples.CONTROL_PLANE)
            .requireFile("/etc/systemd/system/azmesh-control-plane.service");

    assertThat(unit)
        .contains(
            "ExecStart=/usr/bin/java -XX:+ExitOnOutOfMemoryError -jar /opt/azmesh/meshctl.jar"
                + " serve "
                + CloudInitSamples.SERVE_ARGS
                + "\n");
  }

  @Test
  void controlPlane_keepsItsStateInASystemdStateDirectory() {
    String unit =
        rendered(CloudInitSamples.CONTROL_PLANE)
            .requireFile("/etc/systemd/system/azmesh-control-plane.service");

    // serve's --state-dir defaults to $STATE_DIRECTORY, which this sets to /var/lib/azmesh.
    assertThat(unit).contains("\nStateDirectory=azmesh\n");
  }

  @Test
  void controlPlane_serveArgumentsUseTheFixedFlagNames() {
    // The flags are composed in HCL (locals.serve_args); hcl4j cannot evaluate that expression,
    // so the names are checked in the source, where a rename would show.
    String main = TerraformDirectory.read(TerraformTree.module("control-plane").resolve("main.tf"));

    assertThat(main)
        .contains(
            "\"--provider azure\"",
            "\"--auth managed-identity\"",
            "\"--client-id ${azurerm_user_assigned_identity.control_plane.client_id}\"",
            "\"--subscription ${local.discovery_scope[2]}\"",
            "\"--resource-group ${local.discovery_scope[4]}\"",
            "\"--tag ${t}\"",
            "\"--xds-bind 0.0.0.0\"",
            "\"--xds-port ${var.xds_port}\"",
            "\"--status-bind 0.0.0.0\"",
            "\"--status-port ${var.status_port}\"",
            "\"--config /etc/azmesh/mesh.yaml\"");
  }

  @Test
  void controlPlane_writesMeshConfigVerbatimWhenGiven() {
    String meshConfig = "services:\n  - name: demo\n    port: 8080 # \"quoted\" and ${literal}\n";
    String asJson = '"' + meshConfig.replace("\"", "\\\"").replace("\n", "\\n") + '"';

    CloudConfig config =
        CloudConfig.render(CloudInitSamples.CONTROL_PLANE, CloudInitSamples.controlPlane(asJson));

    assertThat(config.requireFile("/etc/azmesh/mesh.yaml")).isEqualTo(meshConfig);
  }

  @Test
  void controlPlane_writesNoMeshConfigWithoutOne() {
    CloudConfig config = rendered(CloudInitSamples.CONTROL_PLANE);

    assertThat(config.file("/etc/azmesh/mesh.yaml")).isEmpty();
    assertThat(config.writtenFiles()).hasSize(2);
  }

  @Test
  void edge_installsEnvoyFromTheEnvoyProjectRepository() {
    String install =
        rendered(CloudInitSamples.EDGE).requireFile("/usr/local/sbin/azmesh-install-envoy");

    assertThat(install)
        .contains("https://apt.envoyproxy.io/signing.key")
        .contains(
            "deb [signed-by=/etc/apt/keyrings/envoy-keyring.gpg] https://apt.envoyproxy.io jammy"
                + " main")
        .contains("apt-get install -y envoy");
  }

  @Test
  void edge_runsEnvoyOnTheWrittenBootstrap() {
    CloudConfig config = rendered(CloudInitSamples.EDGE);

    assertThat(config.requireFile("/etc/systemd/system/azmesh-envoy.service"))
        .contains(
            "ExecStart=/usr/bin/envoy --config-path /etc/envoy/azmesh-bootstrap.yaml"
                + " --disable-hot-restart\n")
        .contains("AmbientCapabilities=CAP_NET_BIND_SERVICE\n");
    assertThat(config.file("/etc/envoy/azmesh-bootstrap.yaml")).isPresent();
  }

  @Test
  void samples_coverEveryTemplateVariable() {
    for (Map.Entry<Path, Map<String, String>> sample : CloudInitSamples.all().entrySet()) {
      Path template = sample.getKey();
      assertThat(
              TerraformTemplate.of(template.toString(), TerraformDirectory.read(template))
                  .variables())
          .as("variables of %s", template)
          .containsExactlyInAnyOrderElementsOf(sample.getValue().keySet());
    }
  }
}
