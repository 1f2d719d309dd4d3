package io.azmesh.cli.embedding;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.ProviderSettings;
import io.azmesh.status.StatusServer;
import io.azmesh.status.StatusServerConfig;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** azmesh inside another application: a provider, the translator, the xDS server, a status API. */
public final class EmbeddedMesh implements AutoCloseable {
  private final DiscoveryProvider provider;
  private final ControlPlane controlPlane;
  private final StatusServer status;

  private EmbeddedMesh(DiscoveryProvider provider, ControlPlane controlPlane, StatusServer status) {
    this.provider = provider;
    this.controlPlane = controlPlane;
    this.status = status;
  }

  /** Serves the instances of an inventory file, with the mesh configuration given. */
  public static EmbeddedMesh start(Path inventory, MeshConfig mesh) {
    // 1. A discovery provider, by name, with the settings its meshctl flags would give it.
    DiscoveryProvider provider =
        DiscoveryProviders.load()
            .create(
                "file", ProviderSettings.of(Map.of("inventory", List.of(inventory.toString()))));

    // 2. The control plane: discovers, translates with the mesh configuration, validates by
    //    Envoy's and grpc-java's rules, and serves over xDS (ADS).
    ControlPlane controlPlane =
        ControlPlane.builder(provider, mesh)
            .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
            .loop(ControlLoopConfig.defaults())
            .start();

    // 3. Optionally the status API, which reads only the MeshState view.
    StatusServer status =
        new StatusServer(
            StatusServerConfig.defaults().withPort(0),
            controlPlane,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Clock.systemUTC());
    status.start();
    return new EmbeddedMesh(provider, controlPlane, status);
  }

  /** What is published, what discovery found, and what each proxy accepted. */
  public MeshState state() {
    return controlPlane;
  }

  public int xdsPort() {
    return controlPlane.port();
  }

  public int statusPort() {
    return status.port();
  }

  /** Stops in reverse order; the provider belongs to the caller of ControlPlane.builder. */
  @Override
  public void close() {
    status.stop();
    controlPlane.close();
    provider.close();
  }
}
