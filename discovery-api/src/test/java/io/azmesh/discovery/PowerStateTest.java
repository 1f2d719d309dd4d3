package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PowerStateTest {

  @ParameterizedTest
  @CsvSource({
    "running, RUNNING",
    "PowerState/deallocated, DEALLOCATED",
    "' Stopped ', STOPPED",
    "powerstate/STARTING, STARTING"
  })
  void fromCode_acceptsCodesAndAzureStatusCodes(String code, PowerState expected) {
    assertThat(PowerState.fromCode(code)).contains(expected);
  }

  @Test
  void fromCode_isEmptyForAnythingElse() {
    assertThat(PowerState.fromCode("on")).isEmpty();
    assertThat(PowerState.fromCode(null)).isEmpty();
  }

  @Test
  void onlyRunning_isServing() {
    assertThat(PowerState.RUNNING.isServing()).isTrue();
    assertThat(PowerState.STARTING.isServing()).isFalse();
  }

  @Test
  void codes_listsEveryStateForMessages() {
    assertThat(PowerState.codes())
        .isEqualTo("running, starting, stopping, stopped, deallocating, deallocated, unknown");
  }
}
