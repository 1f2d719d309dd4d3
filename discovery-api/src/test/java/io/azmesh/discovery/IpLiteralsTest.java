package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.4", "0.0.0.0", "255.255.255.255", "::1", "fd00::4", "::ffff:1.2.3.4"})
  void isIpLiteral_acceptsAddresses(String value) {
    assertThat(IpLiterals.isIpLiteral(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0",
        "10.0.0.256",
        "01.2.3.4",
        "localhost",
        "web-0.internal",
        ":::",
        "1:2"
      })
  void isIpLiteral_rejectsEverythingElse(String value) {
    assertThat(IpLiterals.isIpLiteral(value)).isFalse();
  }
}
