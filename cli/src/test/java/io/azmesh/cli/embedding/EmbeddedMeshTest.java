package io.azmesh.cli.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.azmesh.xds.translator.MeshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example of docs/embedding.md and checks that the document shows exactly this code. */
class EmbeddedMeshTest {
  private static final Path DOC = Path.of("../docs/embedding.md");
  private static final Path SOURCE =
      Path.of("src/test/java/io/azmesh/cli/embedding/EmbeddedMesh.java");

  @Test
  void example_servesTheInventoryAndShowsItInMeshState(@TempDir Path dir) throws Exception {
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            "instances:\n  - {name: web-0, private_ip: 10.0.0.4,"
                + " tags: {mesh-service: web, mesh-port: \"8080\"}}\n");

    try (EmbeddedMesh mesh = EmbeddedMesh.start(inventory, MeshConfig.defaults())) {
      PublishedSnapshot snapshot = awaitPublished(mesh);

      assertThat(snapshot.snapshotVersion()).isEqualTo(1);
      assertThat(snapshot.resources().clusters()).extracting(c -> c.getName()).contains("web");
      assertThat(mesh.state().discovery().provider()).isEqualTo("file");
      assertThat(mesh.xdsPort()).isPositive();
      assertThat(mesh.statusPort()).isPositive();
    }
  }

  @Test
  void document_showsTheExampleVerbatim() throws Exception {
    String code = Files.readString(SOURCE);
    String body = code.substring(code.indexOf("import "));

    assertThat(Files.readString(DOC)).contains("```java\n" + body + "```\n");
  }

  private static PublishedSnapshot awaitPublished(EmbeddedMesh mesh) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Optional<PublishedSnapshot> published = mesh.state().published();
    while (published.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("nothing published within 30 s: " + mesh.state().discovery());
      }
      TimeUnit.MILLISECONDS.sleep(20);
      published = mesh.state().published();
    }
    return published.get();
  }
}
