package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl serve --config} from the shaded jar, as systemd runs it: SIGHUP reads the file
 * again instead of stopping serve, and an edit is read without one.
 */
class ConfigReloadIT {
  private static final Path JAR = Path.of(System.getProperty("meshctl.jar", "target/meshctl.jar"));
  private static final Path EXAMPLES =
      Path.of(System.getProperty("meshctl.examples", "../examples"));

  @TempDir Path dir;

  @Test
  void sighupAndEdits_reloadTheMeshConfigurationOfARunningServe()
      throws IOException, InterruptedException {
    assertThat(JAR).as("the shaded jar is built by the package phase").exists();
    Path inventory = dir.resolve("inventory.yaml");
    Files.copy(EXAMPLES.resolve("inventory.yaml"), inventory);
    Path config =
        Files.writeString(dir.resolve("mesh.yaml"), "services:\n  web:\n    port: 8080\n");

    try (ServeReplica serve =
        ServeReplica.start("reload", JAR, inventory, 0, List.of("--config", config.toString()))) {
      serve.awaitLine(Pattern.compile("snapshot-published snapshot 1: "));

      serve.hangUp();
      serve.awaitLine(
          Pattern.compile(
              "config-reloaded " + Pattern.quote(config.toString()) + ": no resource changed$"));

      Files.writeString(config, "services:\n  web:\n    port: 8080\n    connect_timeout: 1m\n");
      serve.awaitLine(
          Pattern.compile(
              "config-reloaded "
                  + Pattern.quote(config.toString())
                  + ": clusters: web changed; published snapshot 2$"));

      Files.writeString(config, "services:\n  web:\n    port: eighty\n");
      serve.awaitLine(
          Pattern.compile(
              "config-rejected "
                  + Pattern.quote(config.toString())
                  + ": not applied, the configuration read before keeps serving: line 3, column 5:"
                  + " services.web.port is 'eighty', not a whole number$"));
    }
  }
}
