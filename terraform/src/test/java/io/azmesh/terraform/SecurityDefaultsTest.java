package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The security defaults of issue 8, read from the parsed HCL. hcl4j leaves references it cannot
 * resolve as their source text ({@code var.admin_cidr}), which is what the assertions name.
 */
class SecurityDefaultsTest {

  private static final String VM = "azurerm_linux_virtual_machine";
  private static final String RULE = "azurerm_network_security_rule";

  private static final TerraformDirectory NETWORK =
      TerraformDirectory.load(TerraformTree.module("network"));

  static List<Path> modules() {
    return TerraformTree.modules();
  }

  @ParameterizedTest
  @MethodSource("modules")
  void everyVm_logsInWithSshKeysOnly(Path module) {
    Map<String, Map<String, Object>> vms =
        TerraformDirectory.load(module).resources().getOrDefault(VM, Map.of());

    vms.forEach(
        (name, vm) -> {
          assertThat(vm).as(name).containsEntry("disable_password_authentication", true);
          assertThat(vm).as(name).doesNotContainKey("admin_password");
          assertThat(vm).as(name).containsKey("admin_ssh_key");
        });
  }

  @Test
  void controlPlane_readsOnlyTheResourceGroupItDiscoversAndTheJarContainer() {
    TerraformDirectory controlPlane =
        TerraformDirectory.load(TerraformTree.module("control-plane"));

    assertThat(controlPlane.resources().get("azurerm_role_assignment"))
        .containsOnlyKeys(
            "discovery_reader",
            "jar_reader",
            "change_events_sender",
            "change_events_dead_letter",
            "change_events_processor");
    assertThat(controlPlane.resource("azurerm_role_assignment", "discovery_reader"))
        .containsEntry("role_definition_name", "Reader")
        .containsEntry("scope", "var.discovery_resource_group_id")
        .containsEntry("principal_id", "azurerm_user_assigned_identity.control_plane.principal_id");
    assertThat(controlPlane.resource("azurerm_role_assignment", "jar_reader"))
        .containsEntry("role_definition_name", "Storage Blob Data Reader")
        .containsEntry("scope", "var.meshctl_jar_storage_container_id")
        .containsEntry("principal_id", "azurerm_user_assigned_identity.control_plane.principal_id");
    assertThat(controlPlane.resource(VM, "replica").get("identity"))
        .isEqualTo(
            Map.of(
                "type",
                "UserAssigned",
                "identity_ids",
                List.of("azurerm_user_assigned_identity.control_plane.id")));
    // hcl4j reads a conditional on an unknown variable as one of its branches; the source shows
    // the scopes are the group and the container themselves, whatever the inputs.
    String main = TerraformDirectory.read(TerraformTree.module("control-plane").resolve("main.tf"));
    assertThat(main)
        .containsPattern("(?m)^\\s*scope\\s*=\\s*var\\.discovery_resource_group_id\\s*$")
        .containsPattern("(?m)^\\s*scope\\s*=\\s*var\\.meshctl_jar_storage_container_id\\s*$")
        // A boolean known at plan time: Terraform 1.5 cannot count over "unknown == null".
        .containsPattern("(?m)^\\s*count\\s*=\\s*var\\.meshctl_jar_private \\? 1 : 0\\s*$")
        .doesNotContainPattern("count\\s*=\\s*var\\.meshctl_jar_storage_container_id");
  }

  @Test
  void changeEvents_grantTheSmallestRolesOnEachQueueAndTheDeadLetterContainer() {
    TerraformDirectory controlPlane =
        TerraformDirectory.load(TerraformTree.module("control-plane"));
    String topicIdentity =
        "azurerm_eventgrid_system_topic.backends.value.identity.value.principal_id";
    // hcl4j spells index expressions its own way: [count.index] with dots, [0] as .value.
    String queue = "azurerm_storage_queue.change_events.count.index.resource_manager_id";

    assertThat(controlPlane.resource("azurerm_role_assignment", "change_events_processor"))
        .containsEntry("role_definition_name", "Storage Queue Data Message Processor")
        .containsEntry("scope", queue)
        .containsEntry("principal_id", "azurerm_user_assigned_identity.control_plane.principal_id");
    assertThat(controlPlane.resource("azurerm_role_assignment", "change_events_sender"))
        .containsEntry("role_definition_name", "Storage Queue Data Message Sender")
        .containsEntry("scope", queue)
        .containsEntry("principal_id", topicIdentity);
    assertThat(controlPlane.resource("azurerm_role_assignment", "change_events_dead_letter"))
        .containsEntry("role_definition_name", "Storage Blob Data Contributor")
        .containsEntry("scope", "azurerm_storage_container.change_events_dead_letter.value.id")
        .containsEntry("principal_id", topicIdentity);
    assertThat(controlPlane.resource("azurerm_storage_account", "change_events"))
        .containsEntry("shared_access_key_enabled", false)
        .containsEntry("allow_nested_items_to_be_public", false);
  }

  @Test
  void changeEvents_oneSubscriptionPerReplicaOfComputeChangesOnTheBackendsGroup() {
    TerraformDirectory controlPlane =
        TerraformDirectory.load(TerraformTree.module("control-plane"));
    Map<String, Object> topic = controlPlane.resource("azurerm_eventgrid_system_topic", "backends");
    Map<String, Object> subscription =
        controlPlane.resource("azurerm_eventgrid_system_topic_event_subscription", "replica");

    assertThat(topic)
        .containsEntry("location", "Global")
        .containsEntry("topic_type", "Microsoft.Resources.ResourceGroups");
    assertThat(subscription)
        .containsEntry("count", "local.change_queues")
        .containsEntry(
            "included_event_types",
            List.of(
                "Microsoft.Resources.ResourceWriteSuccess",
                "Microsoft.Resources.ResourceDeleteSuccess",
                "Microsoft.Resources.ResourceActionSuccess"));
    assertThat(controlPlane.resource("azurerm_storage_queue", "change_events"))
        .containsEntry("count", "local.change_queues");
    String events =
        TerraformDirectory.read(TerraformTree.module("control-plane").resolve("change_events.tf"));
    assertThat(events)
        .containsPattern(
            "(?m)^\\s*source_resource_id\\s*=\\s*var\\.discovery_resource_group_id\\s*$")
        .containsPattern("(?m)^\\s*subject_begins_with\\s*=\\s*local\\.compute_subjects\\s*$")
        .contains(
            "compute_subjects = \"${var.discovery_resource_group_id}/providers/Microsoft.Compute/\"")
        .contains(
            "--change-queue https://${var.change_events_storage_account_name}.queue.core.windows.net/replica-${i}");
  }

  @Test
  void controlPlane_replicasStartOnlyAfterTheirRolesExist() {
    assertThat(
            TerraformDirectory.load(TerraformTree.module("control-plane"))
                .resource(VM, "replica")
                .get("depends_on"))
        .isEqualTo(
            List.of(
                "azurerm_role_assignment.discovery_reader", "azurerm_role_assignment.jar_reader"));
  }

  @Test
  void example_storesTheJarPrivately() {
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);

    assertThat(example.resource("azurerm_storage_account", "artifacts"))
        .containsEntry("min_tls_version", "TLS1_2")
        .containsEntry("https_traffic_only_enabled", true)
        .containsEntry("allow_nested_items_to_be_public", false)
        .containsEntry("shared_access_key_enabled", false)
        .containsEntry("default_to_oauth_authentication", true);
    assertThat(example.resource("azurerm_storage_container", "artifacts"))
        .containsEntry("container_access_type", "private");
    assertThat(TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("versions.tf")))
        .contains("storage_use_azuread = true");
  }

  @Test
  @SuppressWarnings("unchecked")
  void example_letsTheDeployerWriteTheJarContainerOnlyWhileItUploads() {
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);

    // No lasting role for whoever ran terraform: upload-jar.sh grants it and takes it back.
    assertThat(example.resources()).doesNotContainKey("azurerm_role_assignment");
    assertThat(example.resources()).doesNotContainKey("azurerm_storage_blob");
    Map<String, Object> upload = example.resource("terraform_data", "meshctl_upload");
    Map<String, Object> exec =
        (Map<String, Object>) ((Map<String, Object>) upload.get("provisioner")).get("local-exec");
    assertThat(exec).containsEntry("command", "path.module/upload-jar.sh");
    assertThat((Map<String, Object>) exec.get("environment"))
        .containsEntry("ASSIGNEE", "data.azurerm_client_config.deployer.object_id")
        .containsEntry("CONTAINER_ID", "local.artifacts_container_id");
    assertThat(
            HclText.stripComments(TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("main.tf")))
                .replaceAll("\\s+", " "))
        .contains("triggers_replace = [local.jar_sha256,")
        .contains("depends_on = [terraform_data.meshctl_upload]");
    assertThat(
            HclText.stripComments(TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("main.tf")))
                .replaceAll("\\s+", " "))
        .contains(
            "artifacts_container_id = local.upload_jar ?"
                + " \"${azurerm_storage_account.artifacts[0].id}/blobServices/default/containers/"
                + "${azurerm_storage_container.artifacts[0].name}\" : null");
  }

  @Test
  void controlPlane_discoversOnlyInTheGroupItsRoleCovers() {
    // Reader on a resource group suffices only because meshctl is told to list in that group
    // (docs/azure.md#required-role): both must come from the same ID. hcl4j cannot evaluate
    // split(), so the derivation is checked in the source.
    String main =
        HclText.stripComments(
                TerraformDirectory.read(TerraformTree.module("control-plane").resolve("main.tf")))
            .replaceAll("\\s+", " ");

    assertThat(main)
        .contains("discovery_scope = split(\"/\", var.discovery_resource_group_id)")
        .contains("\"--subscription ${local.discovery_scope[2]}\"")
        .contains("\"--resource-group ${local.discovery_scope[4]}\"");
  }

  @Test
  void example_grantsReaderOnTheBackendsResourceGroupOnly() {
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);
    TerraformDirectory backends = TerraformDirectory.load(TerraformTree.module("backend-vms"));

    assertThat(example.moduleCalls().get("control_plane").arguments())
        .containsEntry("discovery_resource_group_id", "module.backends.resource_group_id");
    assertThat(example.moduleCalls().get("backends").source())
        .isEqualTo("../../modules/backend-vms");
    assertThat(backends.outputs().get("resource_group_id").value())
        .contains("azurerm_resource_group.backends.id");
  }

  @Test
  void onlyTheControlPlaneAndTheExampleHoldRoleAssignments() {
    assertThat(TerraformTree.configurations())
        .filteredOn(dir -> !dir.endsWith("control-plane") && !dir.equals(TerraformTree.EXAMPLE))
        .allSatisfy(
            dir ->
                assertThat(TerraformDirectory.load(dir).resources())
                    .doesNotContainKey("azurerm_role_assignment"));
  }

  @Test
  void backends_liveInTheirOwnResourceGroup() {
    TerraformDirectory backends = TerraformDirectory.load(TerraformTree.module("backend-vms"));

    // The group-scoped listings find a VM's NICs only in the group they list.
    assertThat(backends.resource(VM, "backend"))
        .containsEntry("resource_group_name", "azurerm_resource_group.backends.name");
    assertThat(backends.resource("azurerm_network_interface", "backend"))
        .containsEntry("resource_group_name", "azurerm_resource_group.backends.name");
    // A Flexible scale set puts each instance's VM and NIC in the scale set's group.
    assertThat(backends.resource("azurerm_orchestrated_virtual_machine_scale_set", "backend"))
        .containsEntry("resource_group_name", "azurerm_resource_group.backends.name");
  }

  @Test
  void backendScaleSet_carriesTheDiscoveryTagsAndLogsInWithSshKeysOnly() {
    Map<String, Object> scaleSet =
        TerraformDirectory.load(TerraformTree.module("backend-vms"))
            .resource("azurerm_orchestrated_virtual_machine_scale_set", "backend");

    assertThat(scaleSet.get("tags"))
        .isEqualTo(
            TerraformDirectory.load(TerraformTree.module("backend-vms"))
                .resource(VM, "backend")
                .get("tags"));
    @SuppressWarnings("unchecked")
    Map<String, Object> linux =
        (Map<String, Object>)
            ((Map<String, Object>) scaleSet.get("os_profile")).get("linux_configuration");
    assertThat(linux)
        .containsEntry("disable_password_authentication", true)
        .containsKey("admin_ssh_key")
        .doesNotContainKey("admin_password");
  }

  @Test
  void xds_isAllowedFromTheEdgeSubnetAndDeniedFromEverywhereElse() {
    assertThat(NETWORK.resource(RULE, "xds_from_edge"))
        .containsEntry("access", "Allow")
        .containsEntry("source_address_prefix", "var.subnet_cidrs.edge")
        .containsEntry("destination_address_prefix", "var.subnet_cidrs.control_plane");
    assertThat(NETWORK.resource(RULE, "xds_from_elsewhere"))
        .containsEntry("access", "Deny")
        .containsEntry("source_address_prefix", "*");
    assertThat(priority("xds_from_edge")).isLessThan(priority("xds_from_elsewhere"));
  }

  @Test
  void status_isOpenToTheLoadBalancersReadinessProbe() {
    assertThat(NETWORK.resource(RULE, "status_from_load_balancer"))
        .containsEntry("access", "Allow")
        .containsEntry("source_address_prefix", "AzureLoadBalancer")
        // The same port as the subnet rule, whatever hcl4j makes of tostring(var.status_port).
        .containsEntry(
            "destination_port_range",
            NETWORK.resource(RULE, "status_from_control_plane").get("destination_port_range"));
    assertThat(priority("status_from_load_balancer")).isLessThan(priority("status_from_elsewhere"));
  }

  @Test
  void status_isAllowedFromTheControlPlaneSubnetAndTheAdminCidrOnly() {
    // Not the VNet: the edges face the internet, and the backends have no business there.
    assertThat(NETWORK.resources().get(RULE)).doesNotContainKey("status_from_vnet");
    assertThat(NETWORK.resource(RULE, "status_from_control_plane"))
        .containsEntry("access", "Allow")
        .containsEntry("source_address_prefix", "var.subnet_cidrs.control_plane");
    assertThat(NETWORK.resource(RULE, "status_from_admin"))
        .containsEntry("access", "Allow")
        .containsEntry("source_address_prefix", "var.admin_cidr")
        .containsKey("count");
    assertThat(NETWORK.resource(RULE, "status_from_elsewhere"))
        .containsEntry("access", "Deny")
        .containsEntry("source_address_prefix", "*");
    assertThat(priority("status_from_admin")).isLessThan(priority("status_from_elsewhere"));
  }

  @Test
  void ssh_isClosedUnlessAnAdminCidrIsGiven() {
    assertThat(NETWORK.resource(RULE, "ssh_from_admin"))
        .containsEntry("access", "Allow")
        .containsEntry("source_address_prefix", "var.admin_cidr")
        .containsEntry("destination_port_range", "22")
        .containsKey("for_each");
    assertThat(NETWORK.resource(RULE, "ssh_from_elsewhere"))
        .containsEntry("access", "Deny")
        .containsEntry("source_address_prefix", "*")
        .containsEntry("destination_port_range", "22");
    String main =
        TerraformDirectory.read(TerraformTree.module("network").resolve("main.tf"))
            .replaceAll("\\s+", " ");
    // Only the edges have public IPs; the others are reached with run-command.
    assertThat(main)
        .contains("for_each = var.admin_cidr == null ? {} : { edge = var.subnet_cidrs.edge }");
    assertThat(main).contains("count = var.admin_cidr == null ? 0 : 1");
  }

  @Test
  void subnets_arePrivateAndEgressThroughTheNatGateway() {
    Map<String, Object> subnets = NETWORK.resource("azurerm_subnet", "tier");
    Map<String, Object> natAssociations =
        NETWORK.resource("azurerm_subnet_nat_gateway_association", "tier");

    assertThat(subnets).containsEntry("default_outbound_access_enabled", false);
    assertThat(natAssociations.get("for_each")).isEqualTo(subnets.get("for_each"));
    assertThat(natAssociations).containsEntry("nat_gateway_id", "azurerm_nat_gateway.outbound.id");
  }

  /**
   * Every rule of every configuration, standalone or written inline in its security group (a {@code
   * security_rule} block, or a {@code dynamic "security_rule"} one whose source is its content
   * block), by where it is declared.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> allRules() {
    Map<String, Map<String, Object>> rules = new java.util.TreeMap<>();
    for (Path dir : TerraformTree.configurations()) {
      Map<String, Map<String, Map<String, Object>>> resources =
          TerraformDirectory.load(dir).resources();
      resources
          .getOrDefault(RULE, Map.of())
          .forEach((name, rule) -> rules.put(dir + " " + RULE + "." + name, rule));
      resources
          .getOrDefault("azurerm_network_security_group", Map.of())
          .forEach(
              (name, group) -> {
                List<Object> inline = new ArrayList<>(blocks(group.get("security_rule")));
                if (group.get("dynamic") instanceof Map<?, ?> dynamic) {
                  blocks(dynamic.get("security_rule"))
                      .forEach(
                          d -> inline.addAll(blocks(((Map<String, Object>) d).get("content"))));
                }
                for (int i = 0; i < inline.size(); i++) {
                  rules.put(
                      dir + " azurerm_network_security_group." + name + " security_rule " + i,
                      (Map<String, Object>) inline.get(i));
                }
              });
    }
    return rules;
  }

  private static List<Object> blocks(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof List<?> list ? List.copyOf(list) : List.of(value);
  }

  @Test
  void everyAllowRule_comesFromAKnownSource() {
    Map<String, Map<String, Object>> rules = allRules();

    assertThat(rules).isNotEmpty();
    rules.forEach(
        (where, rule) -> {
          assertThat(rule.get("access")).as(where).isIn("Allow", "Deny");
          if ("Allow".equals(rule.get("access"))) {
            assertThat(
                    rule.getOrDefault("source_address_prefix", rule.get("source_address_prefixes")))
                .as(where)
                .isIn(
                    "AzureLoadBalancer",
                    "var.subnet_cidrs.edge",
                    "var.subnet_cidrs.control_plane",
                    "var.address_space",
                    "var.admin_cidr",
                    "var.edge_client_cidrs");
          }
        });
  }

  @Test
  void adminCidr_defaultsToClosed() {
    assertThat(NETWORK.variables().get("admin_cidr").requirement())
        .isEqualTo(TerraformVariable.Requirement.OPTIONAL);
    assertThat(
            TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("variables.tf"))
                .replaceAll("\\s+", " "))
        .contains("variable \"admin_cidr\" {")
        .contains("default = null");
  }

  @ParameterizedTest
  @MethodSource("io.azmesh.terraform.ModuleWiringTest#configurations")
  void outputs_exposeNoKeysAndMarkTheStatusTokenSensitive(Path directory) {
    String outputs =
        HclText.stripComments(TerraformDirectory.read(directory.resolve("outputs.tf")));

    assertThat(outputs)
        .doesNotContain("ssh_public_key")
        .doesNotContain("custom_data")
        .doesNotContain("private_key")
        .doesNotContainIgnoringCase("secret");
    Matcher block = Pattern.compile("(?s)output \"([^\"]+)\" \\{(.*?)\n}").matcher(outputs);
    while (block.find()) {
      String body = block.group(2);
      String value = body.lines().filter(l -> l.strip().startsWith("value")).findFirst().orElse("");
      if (value.contains("password") || value.contains("status_token")) {
        assertThat(body).as(block.group(1)).containsPattern("\\bsensitive\\s*=\\s*true");
      }
    }
  }

  /**
   * Inputs that are not checked by a validation block, each with the reason it may go without: the
   * rest must validate, so a new input is validated unless it is added here on purpose.
   */
  private static final Map<String, String> UNVALIDATED =
      Map.ofEntries(
          Map.entry("location", "Azure's API rejects an unknown region before anything is created"),
          Map.entry("resource_group_name", "Azure's API rejects a name it cannot use"),
          Map.entry(
              "existing_resource_group_name", "read through a data source, which fails if absent"),
          Map.entry("subnet_id", "a reference to the network module's output"),
          Map.entry("vm_size", "Azure's API rejects an unknown size"),
          Map.entry("meshctl_jar_private", "a bool: Terraform refuses any other value"),
          Map.entry("admin_username", "Azure's API rejects reserved and malformed user names"),
          Map.entry(
              "mesh_config",
              "written as one jsonencode()d string, so it cannot break the cloud-init YAML;"
                  + " meshctl validates its content at start"),
          Map.entry("tags", "a map of strings Azure stores as given"));

  @ParameterizedTest
  @MethodSource("modules")
  void inputsOfEveryModule_areValidatedUnlessExempted(Path module) {
    assertThat(TerraformDirectory.load(module).variables().values())
        .filteredOn(variable -> variable.validations() == 0)
        .extracting(TerraformVariable::name)
        .allSatisfy(
            name -> assertThat(UNVALIDATED).as(module + " variable " + name).containsKey(name));
  }

  private static double priority(String rule) {
    return ((Number) NETWORK.resource(RULE, rule).get("priority")).doubleValue();
  }
}
