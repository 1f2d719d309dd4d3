package io.azmesh.xds.translator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshConfigTest {

  private static MeshConfig parse(String yaml) {
    return MeshConfig.parse(yaml, "mesh.yaml");
  }

  private static void assertRejected(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(MeshConfigException.class)
        .hasMessage(message);
  }

  @Test
  void defaults_adoptEveryTaggedServiceBehindOneGateway() {
    MeshConfig config = MeshConfig.defaults();

    assertThat(config.tags()).isEqualTo(TagKeys.DEFAULT);
    assertThat(config.unlistedServices()).isEqualTo(UnlistedServices.ADOPT);
    assertThat(config.policyOf("anything")).contains(ServicePolicy.DEFAULT);
    assertThat(config.gateways()).containsOnlyKeys("gateway");
    GatewayConfig gateway = config.gateways().get("gateway");
    assertThat(gateway.address()).isEqualTo("0.0.0.0");
    assertThat(gateway.port()).isEqualTo(10000);
    assertThat(gateway.autoRoutes()).isEqualTo(AutoRoutes.SERVICE_PREFIX);
  }

  @Test
  void parse_emptyFileIsTheDefaults() {
    assertThat(parse("")).isEqualTo(MeshConfig.defaults());
    assertThat(parse("# nothing configured\n")).isEqualTo(MeshConfig.defaults());
    assertThat(parse("services: {}\n")).isEqualTo(MeshConfig.defaults());
  }

  @Test
  void parse_meshctlSectionBelongsToTheCliAndIsSkipped() {
    MeshConfig config =
        parse(
            "meshctl:\n  provider: azure\n  tag: [mesh-service]\nservices:\n  web: {port: 8080}\n");

    assertThat(config.services().get("web").port()).isEqualTo(8080);
  }

  @Test
  void parse_explicitlyEmptyGatewaysMeansNone() {
    assertThat(parse("gateways: {}\n").gateways()).isEmpty();
  }

  @Test
  void parse_fullServiceAndGateway() {
    MeshConfig config =
        parse(
            """
            tags:
              service: app
              port: app-port
            unlisted_services: reject
            services:
              web:
                port: 8080
                protocol: http
                address: public
                lb_policy: least_request
                connect_timeout: 250ms
                request_timeout: 30s
                retries: {attempts: 3, on: [5xx, reset], per_try_timeout: 2s}
                health_check: {kind: http, path: /healthz, interval: 10s}
                outlier_detection: {consecutive_5xx: 7}
                circuit_breakers: {max_requests: 500}
              greeter:
                protocol: grpc
                lb_policy: ring_hash
            gateways:
              edge:
                port: 8443
                default_service: web
                routes:
                  - {host: api.example.com, path_prefix: /v1, service: greeter}
            """);

    assertThat(config.tags()).isEqualTo(new TagKeys("app", "app-port", null, null));
    ServicePolicy web = config.services().get("web");
    assertThat(web.port()).isEqualTo(8080);
    assertThat(web.address()).isEqualTo(AddressChoice.PUBLIC);
    assertThat(web.lbPolicy()).isEqualTo(LbPolicy.LEAST_REQUEST);
    assertThat(web.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(web.retries())
        .isEqualTo(new RetryPolicy(3, List.of("5xx", "reset"), Duration.ofSeconds(2)));
    assertThat(web.healthCheck().path()).contains("/healthz");
    assertThat(web.healthCheck().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(web.outlierDetection().consecutive5xx()).isEqualTo(7);
    assertThat(web.circuitBreakers().maxRequests()).isEqualTo(500);
    assertThat(web.circuitBreakers().maxConnections()).isEqualTo(1024);
    assertThat(config.services().get("greeter").protocol()).isEqualTo(Protocol.GRPC);
    GatewayConfig edge = config.gateways().get("edge");
    assertThat(edge.defaultService()).contains("web");
    assertThat(edge.routes())
        .containsExactly(GatewayRoute.forHost("api.example.com", "/v1", "greeter"));
    assertThat(config.policyOf("unlisted")).isEmpty();
  }

  @Test
  void builtInJava_equalsTheSameConfigInYaml() {
    MeshConfig yaml =
        parse(
            """
            services:
              web:
                port: 8080
                protocol: http2
                retries: {attempts: 0}
                health_check: {kind: http, path: /healthz}
                outlier_detection: {consecutive_5xx: 0}
            gateways:
              edge:
                routes:
                  - {path_prefix: /web, service: web}
            """);
    ServicePolicy web =
        ServicePolicy.builder()
            .port(8080)
            .protocol(Protocol.HTTP2)
            .retries(RetryPolicy.NONE)
            .healthCheck(HealthCheck.http("/healthz"))
            .outlierDetection(OutlierDetection.OFF)
            .build();
    GatewayConfig edge =
        new GatewayConfig(
            null, null, List.of(GatewayRoute.of("/web", "web")), Optional.empty(), null, null);

    MeshConfig built =
        new MeshConfig(
            null,
            null,
            null,
            new TreeMap<>(Map.of("web", web)),
            new TreeMap<>(Map.of("edge", edge)));

    assertThat(built).isEqualTo(yaml);
    assertThat(web.toBuilder().build()).isEqualTo(web);
    assertThat(web.retries().enabled()).isFalse();
    assertThat(web.outlierDetection().enabled()).isFalse();
  }

  @Test
  void load_readsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, "services:\n  web:\n    port: 8080\n");

    assertThat(MeshConfig.load(file).services().get("web").port()).isEqualTo(8080);
  }

  @Test
  void load_missingFileNamesIt(@TempDir Path dir) {
    Path file = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> MeshConfig.load(file))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("cannot read mesh config " + file + ": ");
  }

  @Test
  void parse_unknownFieldIsRejectedNamingTheKnownOnes() {
    assertRejected(
        "services:\n  web:\n    prot: 8080\n",
        "mesh.yaml: line 3, column 5: unknown field 'prot' in services.web (known: address,"
            + " circuit_breakers, connect_timeout, health_check, lb_policy, outlier_detection, port,"
            + " protocol, proxyless, request_timeout, retries)");
  }

  @Test
  void parse_portOutOfRangeNamesFieldAndValue() {
    assertRejected(
        "services:\n  web:\n    port: 70000\n",
        "mesh.yaml: line 3, column 5: services.web: port is 70000, must be in 1..65535");
  }

  @Test
  void parse_portThatIsNotANumber() {
    assertRejected(
        "services:\n  web:\n    port: http\n",
        "mesh.yaml: line 3, column 5: services.web.port is 'http', not a whole number");
  }

  @Test
  void parse_unknownEnumValueListsTheAcceptedOnes() {
    assertRejected(
        "services:\n  web:\n    lb_policy: fastest\n",
        "mesh.yaml: line 3, column 5: services.web.lb_policy is 'fastest', expected one of:"
            + " round_robin, least_request, ring_hash, random");
  }

  @Test
  void parse_durationNeedsAUnit() {
    assertRejected(
        "services:\n  web:\n    connect_timeout: 5\n",
        "mesh.yaml: line 3, column 5: services.web.connect_timeout: '5' is not a duration such"
            + " as 250ms, 5s, 1m or 1h");
  }

  @Test
  void parse_randomNeedsProxylessDisabled() {
    assertRejected(
        "services:\n  web:\n    lb_policy: random\n",
        "mesh.yaml: line 3, column 5: services.web: lb_policy random is not supported by"
            + " proxyless gRPC clients; set proxyless: disabled");
    assertThat(
            parse("services:\n  web:\n    lb_policy: random\n    proxyless: disabled\n")
                .services()
                .get("web")
                .offeredToProxylessClients())
        .isFalse();
  }

  @Test
  void parse_routeToUnlistedServiceIsRejectedWhenUnlistedServicesAreRejected() {
    assertRejected(
        """
        unlisted_services: reject
        gateways:
          edge:
            default_service: shop
        """,
        "mesh.yaml: line 4, column 5: gateways.edge.default_service: service 'shop' is not listed"
            + " under services, and unlisted_services is reject");
  }

  @Test
  void parse_gatewayNamedLikeAServiceIsRejected() {
    assertRejected(
        "services:\n  web: {}\ngateways:\n  web: {}\n",
        "mesh.yaml: line 4, column 3: gateways.web: a service has the same name; listener names"
            + " must be unique");
  }

  @Test
  void parse_duplicateRouteIsRejected() {
    assertRejected(
        """
        gateways:
          edge:
            routes:
              - {path_prefix: /a, service: web}
              - {path_prefix: /a, service: api}
        """,
        "mesh.yaml: line 5, column 9: gateways.edge.routes[1]: a second route for host '*' and"
            + " path_prefix '/a'");
  }

  @Test
  void parse_twoGatewaysOnOneSocketAreRejected() {
    assertRejected(
        "gateways:\n  a: {port: 8080}\n  b: {port: 8080}\n",
        "mesh.yaml: line 3, column 7: gateways.b.port: gateway 'a' already binds 0.0.0.0:8080;"
            + " Envoy rejects a second listener there");
  }

  @Test
  void parse_routeToAGatewayIsRejected() {
    assertRejected(
        "gateways:\n  edge: {default_service: inner}\n  inner: {port: 8080}\n",
        "mesh.yaml: line 2, column 10: gateways.edge.default_service: 'inner' is a gateway; routes"
            + " lead to services");
  }

  @Test
  void parse_routeToATcpServiceIsRejected() {
    assertRejected(
        "services:\n  db: {protocol: tcp}\ngateways:\n  edge:\n    routes: [{service: db}]\n",
        "mesh.yaml: line 5, column 15: gateways.edge.routes[0].service: service 'db' speaks tcp;"
            + " gateways route HTTP only");
  }

  @Test
  void parse_invalidYamlNamesTheLine() {
    assertThatThrownBy(() -> parse("services:\n  web: 'unclosed\n"))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith(
            "mesh.yaml: line 2, column 6: not valid YAML: while scanning a quoted scalar");
  }

  @Test
  void parse_invalidServiceName() {
    assertRejected(
        "services:\n  Web: {}\n",
        "mesh.yaml: line 2, column 3: services.Web: 'Web' is " + ServiceNames.RULE);
  }

  @Test
  void gatewayRoute_hostMustBeAHostName() {
    assertThatThrownBy(() -> GatewayRoute.forHost("bad host", "/", "web"))
        .hasMessage("host is 'bad host', not a host name such as api.example.com or *.example.com");
    assertThat(GatewayRoute.forHost("*.Example.com", "/", "web").host())
        .isEqualTo(Optional.of("*.example.com"));
  }
}
