package io.azmesh.xds.translator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway listener carries the per-connection limits of Envoy's edge-proxy guidance. */
class GatewayListenerTest {

  private static final GatewayConfig GATEWAY =
      new GatewayConfig(null, 10000, List.of(), Optional.empty(), null, Duration.ofSeconds(90));

  private static HttpConnectionManager manager(Listener listener)
      throws InvalidProtocolBufferException {
    return listener
        .getFilterChains(0)
        .getFilters(0)
        .getTypedConfig()
        .unpack(HttpConnectionManager.class);
  }

  @Test
  void of_trustsThePeerAddressNotForwardedHeaders() throws Exception {
    HttpConnectionManager hcm = manager(GatewayListener.of("gateway", GATEWAY));

    assertThat(hcm.getUseRemoteAddress().getValue()).isTrue();
    assertThat(hcm.getXffNumTrustedHops()).isZero();
  }

  @Test
  void of_timesOutSlowHeadersIdleConnectionsAndIdleStreams() throws Exception {
    HttpConnectionManager hcm = manager(GatewayListener.of("gateway", GATEWAY));

    assertThat(hcm.getRequestHeadersTimeout().getSeconds()).isEqualTo(10);
    assertThat(hcm.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(90);
    assertThat(hcm.getStreamIdleTimeout().getSeconds()).isEqualTo(300);
  }

  @Test
  void of_limitsHttp2StreamsAndFlowControlWindows() throws Exception {
    Http2ProtocolOptions http2 =
        manager(GatewayListener.of("gateway", GATEWAY)).getHttp2ProtocolOptions();

    assertThat(http2.getMaxConcurrentStreams().getValue()).isEqualTo(100);
    assertThat(http2.getInitialStreamWindowSize().getValue()).isEqualTo(65_536);
    assertThat(http2.getInitialConnectionWindowSize().getValue()).isEqualTo(1_048_576);
  }

  @Test
  void of_rejectsHeadersWithUnderscores() throws Exception {
    assertThat(
            manager(GatewayListener.of("gateway", GATEWAY))
                .getCommonHttpProtocolOptions()
                .getHeadersWithUnderscoresAction())
        .isEqualTo(HttpProtocolOptions.HeadersWithUnderscoresAction.REJECT_REQUEST);
  }

  @Test
  void of_boundsWhatOneConnectionBuffers() {
    assertThat(GatewayListener.of("gateway", GATEWAY).getPerConnectionBufferLimitBytes().getValue())
        .isEqualTo(32_768);
  }
}
