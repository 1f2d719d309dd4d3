package io.azmesh.xds.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bootstrap AdsBootstrap renders passes Envoy's own protoc-gen-validate rules. */
class AdsBootstrapValidationTest {

  private final ValidatorIndex envoyRules = new ReflectiveValidatorIndex();

  static Stream<AdsBootstrapOptions> options() {
    return Stream.of(
        AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0").build(),
        AdsBootstrapOptions.builder("fd00::4", 18000, "edge-0").adminPort(15000).build(),
        AdsBootstrapOptions.builder("10.0.2.4", 18000, "edge-0")
            .xdsApi(XdsApi.SOTW)
            .limits(new EdgeLimits(EdgeLimits.MIN_HEAP_BYTES, 1))
            .build(),
        AdsBootstrapOptions.builder("xds.mesh.internal", 443, "edge-1")
            .nodeCluster("edge-westeurope")
            .tls(XdsTls.verifyServer("/etc/envoy/ca.pem"))
            .build(),
        AdsBootstrapOptions.builder("xds.mesh.internal", 443, "edge-2")
            .tls(XdsTls.mutual("/etc/envoy/ca.pem", "/etc/envoy/cert.pem", "/etc/envoy/key.pem"))
            .build());
  }

  @ParameterizedTest
  @MethodSource("options")
  void bootstrap_passesEnvoysValidationRules(AdsBootstrapOptions options) throws Exception {
    Bootstrap bootstrap = AdsBootstrap.of(options).bootstrap();
    Cluster xds = bootstrap.getStaticResources().getClusters(0);

    assertThatNoException()
        .isThrownBy(() -> envoyRules.validatorFor(Bootstrap.class).assertValid(bootstrap));
    // The generated validators do not open an Any; check what is packed in one directly.
    HttpProtocolOptions http =
        xds.getTypedExtensionProtocolOptionsOrThrow(AdsBootstrap.HTTP_PROTOCOL_OPTIONS_KEY)
            .unpack(HttpProtocolOptions.class);
    assertThatNoException()
        .isThrownBy(() -> envoyRules.validatorFor(HttpProtocolOptions.class).assertValid(http));
    for (ResourceMonitor monitor : bootstrap.getOverloadManager().getResourceMonitorsList()) {
      if (monitor.getTypedConfig().is(FixedHeapConfig.class)) {
        FixedHeapConfig heap = monitor.getTypedConfig().unpack(FixedHeapConfig.class);
        assertThatNoException()
            .isThrownBy(() -> envoyRules.validatorFor(FixedHeapConfig.class).assertValid(heap));
      } else {
        DownstreamConnectionsConfig connections =
            monitor.getTypedConfig().unpack(DownstreamConnectionsConfig.class);
        assertThatNoException()
            .isThrownBy(
                () ->
                    envoyRules
                        .validatorFor(DownstreamConnectionsConfig.class)
                        .assertValid(connections));
      }
    }
    if (xds.hasTransportSocket()) {
      CommonTlsContext tls =
          xds.getTransportSocket()
              .getTypedConfig()
              .unpack(UpstreamTlsContext.class)
              .getCommonTlsContext();
      assertThatNoException()
          .isThrownBy(() -> envoyRules.validatorFor(CommonTlsContext.class).assertValid(tls));
    }
  }

  @Test
  void envoyRules_rejectTheXdsClusterWithoutAName() {
    // Proves the rules are in force here: the generated validators, not a permissive fallback.
    Bootstrap bootstrap = AdsBootstrap.of(options().findFirst().orElseThrow()).bootstrap();
    Bootstrap broken =
        bootstrap.toBuilder()
            .setStaticResources(
                bootstrap.getStaticResources().toBuilder()
                    .setClusters(
                        0, bootstrap.getStaticResources().getClusters(0).toBuilder().setName("")))
            .build();

    assertThat(envoyRules.validatorFor(Bootstrap.class).isValid(broken)).isFalse();
  }
}
