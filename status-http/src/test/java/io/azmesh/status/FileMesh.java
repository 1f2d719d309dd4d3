package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.RefreshOutcome;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A real control plane (xDS on 127.0.0.1, the real translator) fed by the real file provider from
 * an inventory in {@code dir} that does not exist until the test writes it.
 */
record FileMesh(Path dir, Path inventory, FileDiscoveryProvider provider, ControlPlane controlPlane)
    implements AutoCloseable {

  /** Starts it, counting its events on {@code registry}. */
  static FileMesh start(Path dir, ControlLoopConfig loop, PrometheusMeterRegistry registry) {
    Path inventory = dir.resolve("inventory.yaml");
    FileDiscoveryProvider provider = FileDiscoveryProvider.of(inventory);
    ControlPlane controlPlane =
        ControlPlane.builder(provider, TranslationFunction.of(MeshConfig.defaults()))
            .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
            .loop(loop)
            .meterRegistry(registry)
            .start();
    return new FileMesh(dir, inventory, provider, controlPlane);
  }

  /**
   * Replaces the inventory in one step (so the provider's own watch never reads half a file) and
   * refreshes; the watch may have published it already, which is just as good.
   */
  void write(String content) throws IOException {
    Path next = Files.writeString(dir.resolve("inventory.next"), content);
    Files.move(
        next, inventory, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertThat(controlPlane.loop().refreshNow())
        .isIn(RefreshOutcome.PUBLISHED, RefreshOutcome.UNCHANGED);
  }

  @Override
  public void close() {
    controlPlane.close();
    provider.close();
  }
}
