package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionCommandTest {

  @Test
  void bash_completesTheSubcommandsAndTheirOptions() {
    MeshctlRun run = MeshctlRun.of("completion", "bash");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_meshctl")
        .contains("discover")
        .contains("--inventory");
  }

  @Test
  void zsh_loadsBashCompletionFirst() {
    MeshctlRun run = MeshctlRun.of("completion", "zsh");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith(
            "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n")
        .contains("complete -F _complete_meshctl");
  }

  @Test
  void unknownShell_isAUsageError() {
    MeshctlRun run = MeshctlRun.of("completion", "fish");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "meshctl: Invalid value for positional parameter at index 0 (SHELL): expected one of"
                + " [BASH, ZSH] (case-insensitive) but was 'fish'\n");
  }
}
