package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code terraform fmt -check -recursive} over terraform/, where a terraform binary is on PATH (fmt
 * needs no provider, unlike init and validate). Skipped, not failed, without one.
 */
class TerraformFmtTest {

  @Test
  void everyTfFile_isFormattedAsTerraformFmtWants() throws IOException, InterruptedException {
    Optional<Path> terraform = onPath("terraform");
    assumeTrue(terraform.isPresent(), "no terraform binary on PATH");
    Path output = Files.createTempFile("terraform-fmt", ".txt");
    try {
      Process fmt =
          new ProcessBuilder(
                  terraform.get().toString(), "fmt", "-check", "-recursive", "-diff", "-no-color")
              .directory(new File("."))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      assertThat(fmt.waitFor(120, TimeUnit.SECONDS)).as("terraform fmt ends").isTrue();

      assertThat(fmt.exitValue())
          .as("terraform fmt -check -recursive says:\n%s", Files.readString(output))
          .isZero();
    } finally {
      Files.delete(output);
    }
  }

  /** What {@code command -v name} finds: the first executable of that name on PATH. */
  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
