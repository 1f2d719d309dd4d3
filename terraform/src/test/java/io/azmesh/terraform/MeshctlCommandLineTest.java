package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import io.azmesh.cli.Meshctl;
import io.azmesh.xds.bootstrap.AdsBootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.pgv.ReflectiveValidatorIndex;
import io.envoyproxy.pgv.ValidatorIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What the cloud-init templates hand to meshctl and to Envoy, checked by meshctl and by the
 * project's validator rather than searched for as text: every {@code meshctl} command line a
 * rendered template runs is parsed by meshctl's own picocli model (so a renamed or removed option
 * fails here, not at every replica's boot), the edge's bootstrap is checked against Envoy's own
 * protoc-gen-validate rules (what the project validates every bootstrap and resource with), and the
 * Terraform example's backend tags and mesh config are rendered by meshctl without a problem.
 */
class MeshctlCommandLineTest {

  private static final String JAR = "-jar /opt/azmesh/meshctl.jar ";
  private static final String MESH_CONFIG = "/etc/azmesh/mesh.yaml";
  private static final String BOOTSTRAP_PATH = "/etc/envoy/azmesh-bootstrap.yaml";
  private static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  @TempDir Path dir;

  @Test
  void controlPlane_everyMeshctlCommandLineParsesWithMeshctlsOwnOptions() throws IOException {
    CloudConfig config = controlPlaneWithTheExamplesMeshConfig();
    List<List<String>> commands = meshctlCommands(config);

    assertThat(commands).as("meshctl command lines in the control plane's cloud-init").isNotEmpty();
    for (List<String> command : commands) {
      ParseResult parsed = parse(withLocalConfigFile(command, config));

      assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("serve");
      assertThat(parsed.subcommand().unmatched()).as(String.join(" ", command)).isEmpty();
    }
  }

  @Test
  void controlPlane_serveGetsWhatTheModulePromises() throws IOException {
    CloudConfig config = controlPlaneWithTheExamplesMeshConfig();
    ParseResult serve =
        parse(withLocalConfigFile(meshctlCommands(config).get(0), config)).subcommand();

    assertThat(given(serve, "--provider")).containsExactly("azure");
    assertThat(given(serve, "--auth")).containsExactly("managed-identity");
    assertThat(given(serve, "--client-id")).containsExactly(CloudInitSamples.CLIENT_ID);
    assertThat(given(serve, "--subscription")).containsExactly(CloudInitSamples.SUBSCRIPTION);
    assertThat(given(serve, "--resource-group")).containsExactly("azmesh-backends");
    assertThat(given(serve, "--tag")).containsExactly("mesh-service");
    // Secure by default: xDS over TLS, and the status API behind a token; the secrets come from
    // systemd's credentials directory (%d).
    assertThat(given(serve, "--xds-tls-cert")).containsExactly("/etc/azmesh/xds-cert.pem");
    assertThat(given(serve, "--xds-tls-key")).containsExactly("%d/xds-key");
    assertThat(given(serve, "--status-token-file")).containsExactly("%d/status-token");
    assertThat(given(serve, "--xds-port")).containsExactly("18000");
    assertThat(given(serve, "--status-port")).containsExactly("8080");
  }

  private static List<String> given(ParseResult command, String option) {
    assertThat(command.hasMatchedOption(option)).as(option).isTrue();
    return command.matchedOption(option).stringValues();
  }

  @Test
  void edge_writesTheBootstrapItsOwnMeshctlCommandPrints() throws IOException {
    CloudConfig config = CloudInitSamples.renderedEdge();
    List<String> bootstrap = documentedBootstrapCommand(config.rendered());
    StringWriter out = new StringWriter();
    CommandLine meshctl = Meshctl.commandLine(Map.of());
    meshctl.setOut(new PrintWriter(out));
    meshctl.setErr(new PrintWriter(new StringWriter()));

    assertThat(meshctl.execute(bootstrap.toArray(String[]::new)))
        .as(String.join(" ", bootstrap))
        .isZero();
    assertThat(new YAMLMapper().readTree(out.toString()))
        .isEqualTo(new YAMLMapper().readTree(config.requireFile(BOOTSTRAP_PATH)));
  }

  @Test
  void edge_bootstrapPassesEnvoysValidationRules() throws Exception {
    CloudConfig config = CloudInitSamples.renderedEdge();
    JsonNode written = new YAMLMapper().readTree(config.requireFile(BOOTSTRAP_PATH));
    Bootstrap.Builder parsed = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(AdsBootstrap.typeRegistry())
        .merge(new ObjectMapper().writeValueAsString(written), parsed);
    Bootstrap bootstrap = parsed.build();
    ValidatorIndex envoyRules = new ReflectiveValidatorIndex();

    envoyRules.validatorFor(Bootstrap.class).assertValid(bootstrap);
    // The generated validators do not open an Any: what is packed in one is checked directly,
    // as AdsBootstrapValidationTest does for what AdsBootstrap renders.
    Cluster xds = bootstrap.getStaticResources().getClusters(0);
    envoyRules
        .validatorFor(HttpProtocolOptions.class)
        .assertValid(
            xds.getTypedExtensionProtocolOptionsOrThrow(HTTP_PROTOCOL_OPTIONS)
                .unpack(HttpProtocolOptions.class));
    assertThat(xds.hasTransportSocket()).as("xDS over TLS").isTrue();
    UpstreamTlsContext tls =
        xds.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    envoyRules.validatorFor(UpstreamTlsContext.class).assertValid(tls);
    envoyRules.validatorFor(CommonTlsContext.class).assertValid(tls.getCommonTlsContext());
    assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
        .isEqualTo(EnvoyBootstrapAgreementTest.CA_PATH);
    // grpc-java, the control plane's xDS server, closes TLS connections that did not negotiate h2.
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
    for (ResourceMonitor monitor : bootstrap.getOverloadManager().getResourceMonitorsList()) {
      if (monitor.getTypedConfig().is(FixedHeapConfig.class)) {
        envoyRules
            .validatorFor(FixedHeapConfig.class)
            .assertValid(monitor.getTypedConfig().unpack(FixedHeapConfig.class));
      } else {
        envoyRules
            .validatorFor(DownstreamConnectionsConfig.class)
            .assertValid(monitor.getTypedConfig().unpack(DownstreamConnectionsConfig.class));
      }
    }
  }

  @Test
  void example_backendTagsAndMeshConfigRenderWithoutAProblem() throws IOException {
    TerraformDirectory example = TerraformDirectory.load(TerraformTree.EXAMPLE);
    Map<String, Object> backends = example.moduleCalls().get("backends").arguments();
    Map<String, Object> locals = example.localValues();
    String service = resolve(backends.get("service_name"), locals);
    String port = resolve(backends.get("service_port"), locals);
    String healthPath = resolve(backends.get("health_path"), locals);
    // The tags backend-vms puts on every instance (its locals.mesh_tags) for these inputs.
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            "instances:\n"
                + instance("demo-0", "10.40.1.4", "1", service, port, healthPath)
                + instance("demo-1", "10.40.1.5", "2", service, port, healthPath));
    Path meshConfig = TerraformTree.EXAMPLE.resolve("mesh.yaml");
    assertThat(TerraformDirectory.read(TerraformTree.module("backend-vms").resolve("main.tf")))
        .contains("\"mesh-service\" = var.service_name")
        .contains("\"mesh-port\"    = tostring(var.service_port)")
        .contains("{ \"mesh-health-path\" = var.health_path }");

    StringWriter err = new StringWriter();
    CommandLine meshctl = Meshctl.commandLine(Map.of());
    meshctl.setOut(new PrintWriter(new StringWriter()));
    meshctl.setErr(new PrintWriter(err));
    int exit =
        meshctl.execute(
            "render",
            "--config",
            meshConfig.toString(),
            "--provider",
            "file",
            "--inventory",
            inventory.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(err.toString()).as("problems meshctl reports").isEmpty();
  }

  @Test
  void parse_refusesAnOptionMeshctlDoesNotHave() {
    // The check above is only worth something if a wrong name fails: --xds-tls-cert renamed.
    List<String> renamed =
        new ArrayList<>(
            List.of(
                "serve",
                "--provider",
                "azure",
                "--xds-tls-certificate",
                "/etc/azmesh/xds-cert.pem"));

    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> Meshctl.commandLine(Map.of()).parseArgs(renamed.toArray(String[]::new))))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
        .hasMessageContaining("--xds-tls-certificate");
  }

  private CloudConfig controlPlaneWithTheExamplesMeshConfig() {
    String meshConfig = TerraformDirectory.read(TerraformTree.EXAMPLE.resolve("mesh.yaml"));
    return CloudConfig.render(
        CloudInitSamples.CONTROL_PLANE,
        CloudInitSamples.controlPlane(
            "https://azmeshjar0123456789.blob.core.windows.net/meshctl/meshctl-abc.jar",
            CloudInitSamples.CLIENT_ID,
            CloudInitSamples.json(meshConfig)));
  }

  /** The arguments after {@code -jar meshctl.jar} of every line of every file and command. */
  private static List<List<String>> meshctlCommands(CloudConfig config) {
    List<String> texts = new ArrayList<>(config.commands());
    config.writtenFiles().forEach(f -> texts.add(f.path("content").asText()));
    List<List<String>> commands = new ArrayList<>();
    for (String text : texts) {
      for (String line : text.split("\n")) {
        int at = line.indexOf(JAR);
        if (at >= 0) {
          commands.add(List.of(line.substring(at + JAR.length()).strip().split("\\s+")));
        }
      }
    }
    return commands;
  }

  /**
   * The command with {@code --config /etc/azmesh/mesh.yaml} pointing at a local copy of what
   * cloud-init writes there, since meshctl reads the file's {@code meshctl:} section as it parses.
   */
  private List<String> withLocalConfigFile(List<String> command, CloudConfig config)
      throws IOException {
    Path local = Files.writeString(dir.resolve("mesh.yaml"), config.requireFile(MESH_CONFIG));
    return command.stream().map(a -> a.equals(MESH_CONFIG) ? local.toString() : a).toList();
  }

  private static ParseResult parse(List<String> arguments) {
    return Meshctl.commandLine(Map.of()).parseArgs(arguments.toArray(String[]::new));
  }

  /**
   * The {@code meshctl bootstrap ...} command the edge template documents next to the bootstrap it
   * writes, with its placeholders filled for the sample (delta, 1024 MiB, 25000 connections).
   */
  private static List<String> documentedBootstrapCommand(String rendered) {
    Matcher m =
        Pattern.compile("(?s)# Exactly what `(meshctl bootstrap .*?)`\\s*\\n\\s*# prints")
            .matcher(rendered);
    assertThat(m.find()).as("the edge template documents its meshctl bootstrap command").isTrue();
    String command =
        m.group(1)
            .replaceAll("\\n\\s*#", " ")
            .replace("<delta|sotw>", "delta")
            .replace("<MiB>", "1024")
            .replace("<N>", "25000");
    List<String> words = new ArrayList<>(List.of(command.strip().split("\\s+")));
    words.remove(0);
    return words;
  }

  private static String resolve(Object value, Map<String, Object> locals) {
    assertThat(value).as("a module argument of the example").isNotNull();
    String text = value.toString();
    if (text.startsWith("local.")) {
      Object local = locals.get(text.substring("local.".length()));
      assertThat(local).as(text).isNotNull();
      text = local.toString();
    }
    // hcl4j reads whole numbers as doubles.
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  private static String instance(
      String name, String ip, String zone, String service, String port, String healthPath) {
    return "  - name: "
        + name
        + "\n    private_ip: "
        + ip
        + "\n    zone: \""
        + zone
        + "\"\n    tags: {mesh-service: "
        + service
        + ", mesh-port: \""
        + port
        + "\", mesh-weight: \"1\", mesh-health-path: "
        + healthPath
        + "}\n";
  }
}
