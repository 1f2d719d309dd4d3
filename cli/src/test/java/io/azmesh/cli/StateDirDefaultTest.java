package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default {@code --state-dir}, one case per branch of its rule, each in a child JVM whose
 * environment holds exactly what the case sets: the expected paths are written out here, not
 * derived from the rule under test.
 */
class StateDirDefaultTest {
  @TempDir Path dir;
  private Path inventory;

  @BeforeEach
  void inventory() throws IOException {
    inventory = Files.writeString(dir.resolve("inventory.yaml"), "instances: []\n");
  }

  @Test
  void stateDir_systemdStateDirectoryWinsOverEverything() throws Exception {
    assertThat(
            stateDirIn(
                Map.of(
                    "STATE_DIRECTORY", "/var/lib/azmesh",
                    "XDG_STATE_HOME", "/home/ops/.state",
                    "HOME", "/home/ops")))
        .isEqualTo("/var/lib/azmesh");
  }

  @Test
  void stateDir_xdgStateHomeWhenNoSystemdDirectory() throws Exception {
    assertThat(stateDirIn(Map.of("XDG_STATE_HOME", "/home/ops/.state", "HOME", "/home/ops")))
        .isEqualTo("/home/ops/.state/azmesh");
  }

  @Test
  void stateDir_onlyHomeGivesItsLocalState() throws Exception {
    // HOME differs from the JVM's user.home (the account's home in /etc/passwd): HOME wins.
    assertThat(stateDirIn(Map.of("HOME", "/tmp/another-home")))
        .isEqualTo("/tmp/another-home/.local/state/azmesh");
  }

  private String stateDirIn(Map<String, String> environment) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StateDirMain.class.getName());
    command.add(inventory.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("child JVM exited").isTrue();
    assertThat(process.exitValue()).as("exit code; output:\n%s", output).isZero();
    return output
        .lines()
        .filter(line -> line.startsWith("state-dir "))
        .map(line -> line.substring("state-dir ".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no state-dir line in:\n" + output));
  }
}
