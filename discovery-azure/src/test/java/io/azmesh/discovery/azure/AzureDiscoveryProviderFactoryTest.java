package io.azmesh.discovery.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.ProviderSettings;
import io.azmesh.discovery.azure.events.ChangeQueueProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureDiscoveryProviderFactoryTest {

  @Test
  void load_registersAzureThroughServiceLoader() {
    DiscoveryProviders providers = DiscoveryProviders.load();

    assertThat(providers.names()).contains("azure");
    assertThat(providers.factory("azure")).isInstanceOf(AzureDiscoveryProviderFactory.class);
  }

  @Test
  void create_rejectsSettingsOfOtherProviders() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "inventory", List.of("inventory.yaml"),
                "refresh", List.of("30s")));

    assertThatThrownBy(() -> DiscoveryProviders.load().create("azure", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the azure provider does not use --inventory, --refresh; it reads --subscription,"
                + " --resource-group, --tag, --exclude-tag, --azure-cloud, --arm-endpoint,"
                + " --arm-audience, --authority-host, --auth, --client-id, --tenant-id,"
                + " --client-secret-file, --discovery-mode, --timeout, --max-retries,"
                + " --change-queue");
  }

  @Test
  void create_withAChangeQueueWrapsTheProviderWithoutCallingAzure() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "change-queue", List.of("https://meshevents.queue.core.windows.net/replica-0")));

    try (DiscoveryProvider provider = DiscoveryProviders.load().create("azure", settings)) {
      assertThat(provider).isInstanceOf(ChangeQueueProvider.class);
      assertThat(provider.name()).isEqualTo("azure");
      assertThat(provider.changeFeed().orElseThrow().source())
          .isEqualTo("https://meshevents.queue.core.windows.net/replica-0");
      assertThat(provider.changeFeed().orElseThrow().state())
          .isEqualTo(ChangeFeedStatus.State.STARTING);
    }
  }

  @Test
  void create_aChangeQueueThatNamesNoQueueIsRejectedWithoutItsSas() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "change-queue",
                    List.of("https://meshevents.queue.core.windows.net/?sv=1&sig=secret")));

    assertThatThrownBy(() -> DiscoveryProviders.load().create("azure", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "setting change-queue is 'https://meshevents.queue.core.windows.net/?<redacted>'; it"
                + " names no queue (expected https://{account}.queue.core.windows.net/{queue})");
  }

  @Test
  void create_aChangeQueueThatIsNotHttpIsRejected() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "change-queue", List.of("replica-0")));

    assertThatThrownBy(() -> DiscoveryProviders.load().create("azure", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "setting change-queue is 'replica-0'; expected"
                + " https://{account}.queue.core.windows.net/{queue}");
  }

  @Test
  void create_buildsAProviderForTheNamedCloud() {
    ProviderSettings settings =
        ProviderSettings.of(
            Map.of(
                "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                "azure-cloud", List.of("china")));

    try (DiscoveryProvider provider = DiscoveryProviders.load().create("azure", settings)) {
      assertThat(provider.name()).isEqualTo("azure");
      assertThat(((AzureDiscoveryProvider) provider).config().endpoints())
          .isEqualTo(ArmEndpoints.of(AzureCloud.CHINA));
    }
  }

  /**
   * Building a provider opens no connection: ARM and the token authority are a local socket that
   * counts what connects to it, with a service principal that could ask for a token at once.
   */
  @Test
  void create_connectsToNeitherArmNorTheAuthority(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("client-secret"), "not-a-real-secret\n");
    AtomicInteger connections = new AtomicInteger();
    Thread acceptor;
    try (ServerSocket azure = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    azure.accept().close();
                    connections.incrementAndGet();
                  }
                } catch (IOException closed) {
                  // The socket closed: the test is over.
                }
              },
              "fake-azure-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "https://127.0.0.1:" + azure.getLocalPort() + "/";
      ProviderSettings settings =
          ProviderSettings.of(
              Map.of(
                  "subscription", List.of("11111111-2222-3333-4444-555555555555"),
                  "arm-endpoint", List.of(url),
                  "authority-host", List.of(url),
                  "auth", List.of("service-principal"),
                  "tenant-id", List.of("tenant"),
                  "client-id", List.of("client"),
                  "client-secret-file", List.of(secret.toString())));

      try (DiscoveryProvider provider = DiscoveryProviders.load().create("azure", settings)) {
        assertThat(provider.name()).isEqualTo("azure");
      }
    }
    acceptor.join(10_000);

    assertThat(connections.get()).as("connections to ARM or the authority").isZero();
  }
}
