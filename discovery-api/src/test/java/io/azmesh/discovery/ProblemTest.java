package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void message_quotesThePresentValue() {
    Problem problem = Problem.of("vm-3", "tag mesh-port", "http", "not a port number");

    assertThat(problem.message()).isEqualTo("vm-3: tag mesh-port is 'http', not a port number");
    assertThat(problem).hasToString(problem.message());
  }

  @Test
  void message_saysMissingWithoutAValue() {
    Problem problem = Problem.missing("vm-4", "private_ip", "a VM needs a private IP");

    assertThat(problem.message()).isEqualTo("vm-4: private_ip is missing, a VM needs a private IP");
  }
}
