package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusServerConfigTest {

  @Test
  void defaults_areLoopbackPort8080WithoutToken() {
    StatusServerConfig config = StatusServerConfig.defaults();

    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.token()).isEmpty();
  }

  @Test
  void with_changesOnlyThatValue() {
    BearerToken token = BearerToken.of("t");
    StatusServerConfig config =
        StatusServerConfig.defaults().withBindAddress("0.0.0.0").withPort(9090).withToken(token);

    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.token()).containsSame(token);
  }

  @Test
  void port_outOfRangeIsRejectedWithTheValue() {
    assertThatThrownBy(() -> StatusServerConfig.defaults().withPort(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port (65536) must be in 0..65535");
    assertThatThrownBy(() -> StatusServerConfig.defaults().withPort(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port (-1) must be in 0..65535");
  }

  @Test
  void bindAddress_blankIsRejected() {
    assertThatThrownBy(() -> StatusServerConfig.defaults().withBindAddress(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bindAddress must not be blank");
  }
}
