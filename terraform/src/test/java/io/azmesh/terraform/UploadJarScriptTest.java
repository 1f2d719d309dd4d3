package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's upload-jar.sh, run by {@code sh} against an {@code az} stand-in that records its
 * calls and refuses the upload as Azure does while a new role assignment propagates (403). The role
 * is the deployer's for the upload only: created first, deleted last, success or not.
 */
class UploadJarScriptTest {

  private static final Path SCRIPT =
      TerraformTree.EXAMPLE.resolve("upload-jar.sh").toAbsolutePath();
  private static final String ROLE = "Storage Blob Data Contributor";
  private static final String SCOPE =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/azmesh-network"
          + "/providers/Microsoft.Storage/storageAccounts/azmeshjar0123456789"
          + "/blobServices/default/containers/meshctl";

  @TempDir Path dir;
  private Path calls;

  @BeforeEach
  void fakeAz() throws IOException {
    calls = dir.resolve("calls");
    // Refuses the first $REFUSALS uploads with Azure's 403 text, then accepts.
    Path az =
        Files.writeString(
            dir.resolve("az"),
            """
            #!/bin/sh
            echo "$*" >> "$CALLS"
            case "$1 $2" in
              "storage blob")
                n=$(cat "$COUNTER" 2>/dev/null || echo 0)
                n=$((n + 1))
                echo "$n" > "$COUNTER"
                if [ "$n" -le "$REFUSALS" ]; then
                  echo "ERROR: AuthorizationPermissionMismatch" >&2
                  exit 1
                fi
                ;;
            esac
            exit 0
            """);
    Files.setPosixFilePermissions(az, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void upload_retriesWhileTheRoleIsPropagatingAndRemovesTheRoleAfterwards() throws Exception {
    Run run = run(2, 5);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines.get(0))
        .startsWith("role assignment create --assignee-object-id 11111111-aaaa")
        .contains("--role " + ROLE, "--scope " + SCOPE);
    assertThat(lines.subList(1, 4))
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith("storage blob upload --auth-mode login")
                    .contains("--name meshctl-abc.jar"));
    assertThat(lines.get(4))
        .startsWith("role assignment delete --assignee 11111111-aaaa")
        .contains("--scope " + SCOPE);
    assertThat(lines).hasSize(5);
    assertThat(run.err()).contains("attempt 1 failed", "attempt 2 failed");
  }

  @Test
  void upload_thatNeverWorks_stillRemovesTheRoleAndFails() throws Exception {
    Run run = run(100, 3);

    assertThat(run.exitCode()).isEqualTo(1);
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines.stream().filter(l -> l.startsWith("storage blob upload"))).hasSize(3);
    assertThat(lines.get(lines.size() - 1)).startsWith("role assignment delete");
    assertThat(run.err()).contains("not uploaded after 3 attempts");
  }

  private Run run(int refusals, int attempts) throws Exception {
    Path jar = Files.writeString(dir.resolve("meshctl.jar"), "jar");
    ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", dir + ":/usr/bin:/bin");
    env.put("CALLS", calls.toString());
    env.put("COUNTER", dir.resolve("counter").toString());
    env.put("REFUSALS", Integer.toString(refusals));
    env.put("AZMESH_UPLOAD_ATTEMPTS", Integer.toString(attempts));
    env.put("AZMESH_UPLOAD_PAUSE_SECONDS", "0");
    env.put("ASSIGNEE", "11111111-aaaa-bbbb-cccc-dddddddddddd");
    env.put("CONTAINER_ID", SCOPE);
    env.put("ACCOUNT", "azmeshjar0123456789");
    env.put("CONTAINER", "meshctl");
    env.put("BLOB", "meshctl-abc.jar");
    env.put("FILE", jar.toString());
    builder.redirectOutput(dir.resolve("out").toFile());
    builder.redirectError(dir.resolve("err").toFile());
    Process process = builder.start();
    // A bound, not a timing claim: the script sleeps 0 s between attempts here.
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("upload-jar.sh finished").isTrue();
    return new Run(process.exitValue(), Files.readString(dir.resolve("err")));
  }

  private record Run(int exitCode, String err) {}
}
