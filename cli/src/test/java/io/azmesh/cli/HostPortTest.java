package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parse_readsHostAndPort() {
    assertThat(HostPort.parse("cp.internal:18000")).isEqualTo(new HostPort("cp.internal", 18000));
  }

  @Test
  void parse_unwrapsBracketedIpv6() {
    assertThat(HostPort.parse("[fd00::10]:18000")).isEqualTo(new HostPort("fd00::10", 18000));
  }

  @Test
  void parse_portThatIsNoNumber_isNamed() {
    assertThatThrownBy(() -> HostPort.parse("cp:xds"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'cp:xds' has port 'xds', not a number");
  }

  @Test
  void parse_missingHost_isRejected() {
    assertThatThrownBy(() -> HostPort.parse(":18000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("':18000' is not HOST:PORT, e.g. 10.0.0.10:18000 or [fd00::10]:18000");
  }
}
