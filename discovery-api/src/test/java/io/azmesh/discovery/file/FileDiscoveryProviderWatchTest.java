package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.DiscoveryProvider.ChangeSubscription;
import io.azmesh.discovery.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch signals edits; every wait is on the signal itself, bounded by a deadline. */
class FileDiscoveryProviderWatchTest {
  private static final long DEADLINE_SECONDS = 10;

  @TempDir Path dir;
  private Path inventory;
  private FileDiscoveryProvider provider;
  private final Semaphore signals = new Semaphore(0);

  @BeforeEach
  void start() throws Exception {
    inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, inventoryWith("web-0", "10.0.0.4"));
    provider = FileDiscoveryProvider.of(inventory, Clock.systemUTC(), Duration.ofMillis(200));
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @Test
  void editInPlace_isSignalledAndRead() throws Exception {
    provider.onChange(signals::release);

    Files.writeString(inventory, inventoryWith("web-1", "10.0.0.5"));

    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(provider.discover().instances()).extracting(Instance::name).containsExactly("web-1");
  }

  @Test
  void replaceByRename_isSignalled() throws Exception {
    provider.onChange(signals::release);

    Path temp = dir.resolve(".inventory.yaml.swp");
    Files.writeString(temp, inventoryWith("web-2", "10.0.0.6"));
    Files.move(
        temp, inventory, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(provider.discover().instances()).extracting(Instance::name).containsExactly("web-2");
  }

  @Test
  void deleteAndRecreate_signalsBoth() throws Exception {
    provider.onChange(signals::release);

    Files.delete(inventory);
    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();

    Files.writeString(inventory, inventoryWith("web-3", "10.0.0.7"));
    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everyListener_isSignalled() throws Exception {
    Semaphore other = new Semaphore(0);
    provider.onChange(signals::release);
    provider.onChange(other::release);

    Files.writeString(inventory, inventoryWith("web-1", "10.0.0.5"));

    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(other.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closedSubscription_isNoLongerSignalledWhileOthersAre() throws Exception {
    Semaphore closed = new Semaphore(0);
    ChangeSubscription subscription = provider.onChange(closed::release);
    provider.onChange(signals::release);
    subscription.close();

    Files.writeString(inventory, inventoryWith("web-1", "10.0.0.5"));

    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(closed.availablePermits()).isZero();
  }

  @Test
  void failingListener_neitherStopsTheWatchNorSilencesTheOthers() throws Exception {
    Semaphore other = new Semaphore(0);
    provider.onChange(
        () -> {
          signals.release();
          throw new IllegalStateException("listener bug");
        });
    provider.onChange(other::release);

    Files.writeString(inventory, inventoryWith("web-1", "10.0.0.5"));
    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(other.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();

    Files.writeString(inventory, inventoryWith("web-2", "10.0.0.6"));
    assertThat(signals.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  private static String inventoryWith(String name, String ip) {
    return "instances:\n  - name: " + name + "\n    private_ip: " + ip + "\n";
  }
}
