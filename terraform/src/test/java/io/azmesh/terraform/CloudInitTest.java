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

  /** What every unit the templates write sets: confinement, and restarts that never give up. */
  static final List<String> HARDENING =
      List.of(
          "DynamicUser=yes",
          "NoNewPrivileges=yes",
          "ProtectSystem=strict",
          "ProtectHome=yes",
          "PrivateDevices=yes",
          "ProtectKernelTunables=yes",
          "ProtectKernelModules=yes",
          "ProtectKernelLogs=yes",
          "ProtectControlGroups=yes",
          "RestrictNamespaces=yes",
          "LockPersonality=yes",
          "Restart=always",
          "StartLimitIntervalSec=0");

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void template_runsEverySystemdUnitItWritesHardenedAndRestartsItAlways(
      String module, Path template) {
    CloudConfig config = rendered(template);
    List<JsonNode> units =
        config.writtenFiles().stream()
            .filter(f -> f.path("path").asText().startsWith("/etc/systemd/system/"))
            .toList();

    assertThat(units).hasSize(1);
    for (JsonNode unit : units) {
      String path = unit.path("path").asText();
      String name = path.substring(path.lastIndexOf('/') + 1);
      String content = unit.path("content").asText();
      assertThat(content).contains("\nExecStart=/").contains("\nWantedBy=multi-user.target\n");
      assertThat(content.lines()).as(name).containsAll(HARDENING);
      assertThat(content.lines().filter(l -> l.startsWith("RestrictAddressFamilies=")))
          .as(name)
          .singleElement()
          .asString()
          .contains("AF_INET AF_INET6")
          .doesNotContain("AF_PACKET");
      assertThat(content.lines().filter(l -> l.startsWith("CapabilityBoundingSet=")))
          .as(name)
          .singleElement()
          .isIn("CapabilityBoundingSet=", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE");
      // A condition would skip the unit for good, silently; a failing ExecStartPre retries.
      assertThat(content).as(name).doesNotContain("ConditionPathExists");
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
        .containsSubsequence(
            "\nExecStartPre=/usr/bin/test -f /opt/azmesh/meshctl.jar\n", "ExecStart=/");
  }

  @Test
  void controlPlane_downloadsAPublicUrlWithoutCredentials() {
    String install =
        rendered(CloudInitSamples.CONTROL_PLANE)
            .requireFile("/usr/local/sbin/azmesh-install-meshctl");

    assertThat(install)
        .contains("URL='https://example.com/releases/meshctl-0.1.0.jar'\n")
        .contains("CLIENT_ID=''\n")
        .contains("CURL='curl -fsSL --connect-timeout 10 --max-time 300'\n")
        .contains("$CURL --retry 5 --retry-connrefused -o \"$1\" \"$URL\"\n");
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
        .contains("$CURL -H Metadata:true \"$IMDS_TOKEN&client_id=$CLIENT_ID\"")
        // The token goes to curl in a root-only file, never on its command line (/proc).
        .contains("> \"$HEADER\"\n")
        .contains("$CURL -H @\"$HEADER\" -H 'x-ms-version: 2021-08-06' -o \"$1\" \"$URL\"\n")
        .contains("install -d -m 0700 /run/azmesh\n")
        .doesNotContain("$token");
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
            "\"--xds-tls-cert /etc/azmesh/xds-cert.pem\"",
            "\"--xds-tls-key %d/xds-key\"",
            "\"--status-bind 0.0.0.0\"",
            "\"--status-port ${var.status_port}\"",
            "\"--status-token-file %d/status-token\"",
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
    assertThat(config.writtenFiles())
        .extracting(f -> f.path("path").asText())
        .containsExactly(
            "/usr/local/sbin/azmesh-install-meshctl",
            "/etc/azmesh/xds-cert.pem",
            "/etc/azmesh/xds-key.pem",
            "/etc/azmesh/status-token",
            "/etc/systemd/system/azmesh-control-plane.service");
  }

  @Test
  void controlPlane_keepsKeyAndTokenRootOnlyAndHandsThemToTheServiceAsCredentials() {
    CloudConfig config = rendered(CloudInitSamples.CONTROL_PLANE);

    assertThat(permissions(config, "/etc/azmesh/xds-key.pem")).isEqualTo("0600");
    assertThat(permissions(config, "/etc/azmesh/status-token")).isEqualTo("0600");
    assertThat(permissions(config, "/etc/azmesh/xds-cert.pem")).isEqualTo("0644");
    assertThat(config.requireFile("/etc/azmesh/xds-key.pem"))
        .isEqualTo(CloudInitSamples.SERVER_KEY_PEM);
    assertThat(config.requireFile("/etc/azmesh/status-token"))
        .isEqualTo(CloudInitSamples.STATUS_TOKEN);
    assertThat(config.requireFile("/etc/azmesh/xds-cert.pem"))
        .isEqualTo(CloudInitSamples.SERVER_CERT_PEM);
    String unit = config.requireFile("/etc/systemd/system/azmesh-control-plane.service");
    assertThat(unit.lines())
        .contains(
            "LoadCredential=xds-key:/etc/azmesh/xds-key.pem",
            "LoadCredential=status-token:/etc/azmesh/status-token");
    // serve reads both from systemd's credentials directory (%d), never from /etc.
    assertThat(CloudInitSamples.SERVE_ARGS)
        .contains("--xds-tls-cert /etc/azmesh/xds-cert.pem")
        .contains("--xds-tls-key %d/xds-key")
        .contains("--status-token-file %d/status-token");
  }

  private static String permissions(CloudConfig config, String path) {
    return config.writtenFiles().stream()
        .filter(f -> path.equals(f.path("path").asText()))
        .map(f -> f.path("permissions").asText())
        .findFirst()
        .orElseThrow(() -> new AssertionError("cloud-init does not write " + path));
  }

  @Test
  void edge_installsThePinnedEnvoyFromTheEnvoyProjectRepository() {
    String install =
        rendered(CloudInitSamples.EDGE).requireFile("/usr/local/sbin/azmesh-install-envoy");

    assertThat(install)
        .contains("https://apt.envoyproxy.io/signing.key")
        .contains(
            "echo \"deb [signed-by=$KEYRING] https://apt.envoyproxy.io jammy main\" >"
                + " /etc/apt/sources.list.d/envoy.list")
        .contains("$APT install -y '" + CloudInitSamples.ENVOY_PACKAGE + "'")
        .doesNotContain("install -y envoy\n");
  }

  @Test
  void edge_refusesASigningKeyWithAnotherFingerprint() {
    String install =
        rendered(CloudInitSamples.EDGE).requireFile("/usr/local/sbin/azmesh-install-envoy");

    assertThat(install)
        .contains("FINGERPRINT='" + CloudInitSamples.ENVOY_KEY_FINGERPRINT + "'\n")
        .containsSubsequence(
            "gpg --show-keys --with-colons /run/envoy-signing.key",
            "if [ \"$got\" != \"$FINGERPRINT\" ]; then",
            "return 1",
            "gpg --dearmor --yes -o \"$KEYRING\" /run/envoy-signing.key");
  }

  @Test
  void edge_waitsForTheDpkgLockAndRetriesTheWholeInstall() {
    String install =
        rendered(CloudInitSamples.EDGE).requireFile("/usr/local/sbin/azmesh-install-envoy");

    assertThat(install)
        .contains("APT='apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3'\n")
        .containsSubsequence("until install_once; do", "sleep 30", "done")
        // Gives up loudly: cloud-init reports the failure and the unit keeps failing visibly.
        .contains("exit 1\n");
  }

  @Test
  void edge_runsEnvoyOnTheWrittenBootstrap() {
    CloudConfig config = rendered(CloudInitSamples.EDGE);

    assertThat(config.requireFile("/etc/systemd/system/azmesh-envoy.service"))
        .contains(
            "ExecStart=/usr/bin/envoy --config-path /etc/envoy/azmesh-bootstrap.yaml"
                + " --disable-hot-restart\n")
        .contains("AmbientCapabilities=CAP_NET_BIND_SERVICE\n")
        .containsSubsequence("\nExecStartPre=/usr/bin/test -x /usr/bin/envoy\n", "ExecStart=/");
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
