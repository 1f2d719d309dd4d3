package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.KeepaliveConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployment defaults issue 26 asked for, each read from the parsed HCL or the rendered
 * templates: what works on the first apply, what keeps the mesh up through a zone outage, a
 * scale-in and an upgrade, and what is secure without extra inputs. What cannot be checked without
 * Azure (role propagation times, a real apt repository) is in docs/operations.md.
 */
class DeploymentDefaultsTest {

  private static final String VM = "azurerm_linux_virtual_machine";
  private static final String SCALE_SET = "azurerm_orchestrated_virtual_machine_scale_set";
  private static final TerraformDirectory NETWORK =
      TerraformDirectory.load(TerraformTree.module("network"));
  private static final TerraformDirectory CONTROL_PLANE =
      TerraformDirectory.load(TerraformTree.module("control-plane"));
  private static final TerraformDirectory BACKENDS =
      TerraformDirectory.load(TerraformTree.module("backend-vms"));
  private static final TerraformDirectory EDGE =
      TerraformDirectory.load(TerraformTree.module("envoy-lb"));
  private static final TerraformDirectory EXAMPLE = TerraformDirectory.load(TerraformTree.EXAMPLE);

  static List<Path> modules() {
    return TerraformTree.modules();
  }

  static List<Path> configurations() {
    return TerraformTree.configurations();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void versions_pinEveryProviderTheConfigurationUses(Path directory) {
    String versions = TerraformDirectory.read(directory.resolve("versions.tf"));
    TerraformDirectory configuration = TerraformDirectory.load(directory);
    boolean tls = configuration.resources().keySet().stream().anyMatch(t -> t.startsWith("tls_"));
    boolean random =
        configuration.resources().keySet().stream().anyMatch(t -> t.startsWith("random_"));

    // terraform_data needs 1.4; count over a boolean, not "unknown == null", keeps 1.5 working.
    assertThat(versions).contains("required_version = \">= 1.5.0\"");
    if (tls || directory.equals(TerraformTree.EXAMPLE)) {
      assertThat(versions).contains("source  = \"hashicorp/tls\"", "version = \"~> 4.0\"");
    }
    if (random || directory.equals(TerraformTree.EXAMPLE)) {
      assertThat(versions).contains("source  = \"hashicorp/random\"", "version = \"~> 3.6\"");
    }
  }

  @Test
  void example_countsOnlyOverValuesKnownAtPlanTime() {
    // The container's ID is unknown until it exists; the boolean beside it is known.
    assertThat(exampleSource())
        .contains("meshctl_jar_private = local.upload_jar")
        .contains("meshctl_jar_storage_container_id = local.artifacts_container_id")
        .contains("upload_jar = var.meshctl_jar_url == null");
    assertThat(CONTROL_PLANE.variables().get("meshctl_jar_private").type())
        .hasValueSatisfying(type -> assertThat(type).containsIgnoringCase("bool"));
  }

  @ParameterizedTest
  @MethodSource("modules")
  void vmSizes_defaultToANonBurstableSize(Path module) {
    TerraformVariable size = TerraformDirectory.load(module).variables().get("vm_size");
    if (size == null) {
      return;
    }
    // B-series VMs run on CPU credits: once spent, a VM is held at its baseline, so CPU autoscale
    // never sees the load and discovery or Envoy starve.
    assertThat(size.defaultValue()).hasValue("Standard_D2s_v5");
  }

  @ParameterizedTest
  @MethodSource("modules")
  void everyImage_isUbuntu2404Lts(Path module) {
    TerraformDirectory directory = TerraformDirectory.load(module);
    List<Map<String, Object>> machines =
        List.of(VM, SCALE_SET).stream()
            .flatMap(type -> directory.resources().getOrDefault(type, Map.of()).values().stream())
            .toList();

    assertThat(machines)
        .allSatisfy(
            machine ->
                assertThat(machine.get("source_image_reference"))
                    .isEqualTo(
                        Map.of(
                            "publisher", "Canonical",
                            "offer", "ubuntu-24_04-lts",
                            "sku", "server",
                            "version", "latest")));
  }

  @Test
  void natGateway_spansTheZonesByDefault() {
    assertThat(NETWORK.variables().get("nat_gateway_sku").defaultValue()).hasValue("StandardV2");
    assertThat(NETWORK.variables().get("zones").defaultValue()).hasValue(List.of("1", "2", "3"));
    assertThat(NETWORK.resource("azurerm_nat_gateway", "outbound"))
        .containsEntry("sku_name", "var.nat_gateway_sku")
        .containsKey("zones");
    // A StandardV2 gateway takes StandardV2 addresses only.
    assertThat(NETWORK.resource("azurerm_public_ip", "nat"))
        .containsEntry("sku", "var.nat_gateway_sku")
        .containsKey("zones");
    assertThat(EXAMPLE.moduleCalls().get("network").arguments()).containsKey("zones");
    assertThat(exampleSource()).contains("location = var.location zones = local.zones");
  }

  @Test
  void edges_areSpreadOverZonesLikeTheReplicas() {
    assertThat(EDGE.resource(VM, "edge")).containsKey("zone");
    assertThat(EDGE.resource("azurerm_public_ip", "edge")).containsKey("zones");
    assertThat(EXAMPLE.moduleCalls().get("edge").arguments()).containsKey("zones");
    assertThat(exampleSource())
        .contains(
            "subnet_id = module.network.edge_subnet_id instance_count = var.edge_count zones = local.zones");
  }

  @Test
  void scaleIn_waitsLongerThanARefreshAndADrain() {
    Map<String, Object> notification =
        asMap(BACKENDS.resource(SCALE_SET, "backend").get("termination_notification"));
    Duration timeout =
        Duration.parse(
            BACKENDS
                .variables()
                .get("termination_notification_timeout")
                .defaultValue()
                .orElseThrow()
                .toString());
    ControlLoopConfig loop = ControlLoopConfig.defaults();

    assertThat(notification)
        .containsEntry("enabled", true)
        .containsEntry("timeout", "var.termination_notification_timeout");
    assertThat(timeout)
        .isGreaterThan(loop.refreshInterval().plus(loop.drainPeriod()))
        .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(15));
  }

  @Test
  void loadBalancerProbe_usesProbeThreshold() {
    Map<String, Object> probe = CONTROL_PLANE.resource("azurerm_lb_probe", "readyz");

    // number_of_probes does nothing on a Standard load balancer.
    assertThat(probe).containsEntry("probe_threshold", 2.0).doesNotContainKey("number_of_probes");
    assertThat(CONTROL_PLANE.resource("azurerm_lb", "control_plane"))
        .containsEntry("sku", "Standard");
  }

  @Test
  void envoyKeepalive_leavesAMarginOverWhatTheServerPermits() throws IOException {
    CloudConfig config = CloudInitSamples.renderedEdge();
    JsonNode bootstrap =
        new YAMLMapper().readTree(config.requireFile("/etc/envoy/azmesh-bootstrap.yaml"));
    String interval =
        bootstrap
            .at(
                "/static_resources/clusters/0/typed_extension_protocol_options"
                    + "/envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
                    + "/explicit_http_config/http2_protocol_options/connection_keepalive/interval")
            .asText();

    // grpc-java answers pings closer together than permitClientTime with GOAWAY too_many_pings;
    // jitter or a busy event loop can bring one ping early, so twice the minimum at least.
    assertThat(Duration.parse("PT" + interval.toUpperCase()))
        .isGreaterThanOrEqualTo(KeepaliveConfig.defaults().permitClientTime().multipliedBy(2));
  }

  @Test
  void statusApi_hasATokenByDefaultThatOperatorsCanRead() {
    assertThat(CONTROL_PLANE.resource("random_password", "status_token"))
        .containsEntry("special", false)
        .hasEntrySatisfying("length", length -> assertThat((Double) length).isGreaterThan(31));
    assertThat(CONTROL_PLANE.outputs().get("status_token").value())
        .hasValue("random_password.status_token.result");
    assertThat(EXAMPLE.outputs().get("status_token").value())
        .hasValue("module.control_plane.status_token");
    assertThat(CloudInitSamples.SERVE_ARGS).contains("--status-token-file %d/status-token");
  }

  @Test
  void xds_isTlsFromAPrivateCaTheEdgesTrust() {
    assertThat(CONTROL_PLANE.resource("tls_self_signed_cert", "ca"))
        .containsEntry("is_ca_certificate", true)
        .containsEntry("private_key_pem", "tls_private_key.ca.private_key_pem");
    assertThat(CONTROL_PLANE.resource("tls_locally_signed_cert", "xds"))
        .containsEntry("ca_cert_pem", "tls_self_signed_cert.ca.cert_pem")
        .containsEntry("cert_request_pem", "tls_cert_request.xds.cert_request_pem")
        .containsEntry(
            "allowed_uses", List.of("digital_signature", "key_encipherment", "server_auth"));
    // The certificate names the address the Envoys dial: the load balancer's frontend.
    assertThat(
            HclText.stripComments(
                    TerraformDirectory.read(
                        TerraformTree.module("control-plane").resolve("main.tf")))
                .replaceAll("\\s+", " "))
        .contains(
            "ip_addresses = [azurerm_lb.control_plane.frontend_ip_configuration[0].private_ip_address]")
        .contains("xds_key_json = jsonencode(tls_private_key.xds.private_key_pem_pkcs8)");
    assertThat(CONTROL_PLANE.outputs().get("xds_ca_certificate_pem").value())
        .hasValue("tls_self_signed_cert.ca.cert_pem");
    assertThat(EXAMPLE.moduleCalls().get("edge").arguments())
        .containsEntry("xds_ca_certificate_pem", "module.control_plane.xds_ca_certificate_pem")
        .containsEntry("xds_host", "module.control_plane.frontend_ip");
    assertThat(EDGE.variables().get("xds_ca_certificate_pem").requirement())
        .isEqualTo(TerraformVariable.Requirement.REQUIRED);
  }

  @Test
  void replicasAndEdges_areReplacedOneAtATimeNotByABootScriptChange() {
    assertThat(asMap(CONTROL_PLANE.resource(VM, "replica").get("lifecycle")))
        .containsEntry("ignore_changes", List.of("custom_data"));
    assertThat(asMap(EDGE.resource(VM, "edge").get("lifecycle")))
        .containsEntry("ignore_changes", List.of("custom_data"));
  }

  @Test
  void jarStorage_acceptsOnlyTheReplicasSubnetAndTheOperator() {
    Map<String, Object> rules =
        asMap(EXAMPLE.resource("azurerm_storage_account", "artifacts").get("network_rules"));

    assertThat(rules)
        .containsEntry("default_action", "Deny")
        .containsKey("ip_rules")
        .containsEntry(
            "virtual_network_subnet_ids", List.of("module.network.control_plane_subnet_id"));
    // hcl4j evaluates locals with unknowns as one branch; the source shows the expression.
    assertThat(exampleSource())
        .contains("ip_rules = local.deployer_ip_rules")
        .contains(
            "deployer_ip_rules = var.admin_cidr == null ? [] : [trimsuffix(var.admin_cidr, \"/32\")]");
    assertThat(
            TerraformDirectory.read(TerraformTree.module("network").resolve("main.tf"))
                .replaceAll("\\s+", " "))
        .contains(
            "service_endpoints = each.key == \"control-plane\" ? [\"Microsoft.Storage\"] : []");
  }

  /** The example's main.tf without comments, each run of whitespace one space. */
  private static String exampleSource() {
    return HclText.stripComments(TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("main.tf")))
        .replaceAll("\\s+", " ");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object block) {
    assertThat(block).isInstanceOf(Map.class);
    return (Map<String, Object>) block;
  }
}
