package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeshctlTest {

  @Test
  void noCommand_showsTheUsage() {
    MeshctlRun run = MeshctlRun.of();

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: meshctl ").contains("discover").contains("version");
  }

  @Test
  void help_documentsTheExitCodes() {
    MeshctlRun run = MeshctlRun.of("--help");

    assertThat(run.out())
        .contains("Exit codes:")
        .contains("  2  usage error (unknown option, bad value, missing setting)");
  }

  @Test
  void unknownCommand_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("discovr");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("meshctl: Unmatched argument at index 0: 'discovr'\n")
        .contains("Did you mean: meshctl discover");
  }

  @Test
  void version_printsMeshctlAndJava() {
    MeshctlRun run = MeshctlRun.of("version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines())
        .hasSize(2)
        .first()
        .isEqualTo("meshctl " + MeshctlVersion.version());
    assertThat(MeshctlVersion.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void versionOption_matchesTheVersionCommand() {
    assertThat(MeshctlRun.of("--version").out()).isEqualTo(MeshctlRun.of("version").out());
  }
}
