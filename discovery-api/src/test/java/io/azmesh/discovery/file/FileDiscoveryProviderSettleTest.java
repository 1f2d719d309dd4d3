package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New content is parsed only once it has stayed unchanged for the settle time. */
class FileDiscoveryProviderSettleTest {
  private static final Duration SETTLE = Duration.ofMillis(250);

  @TempDir Path dir;
  private Path inventory;
  private FakeTicker ticker;
  private FileDiscoveryProvider provider;

  /** Time that moves only when the provider waits; each wait runs the writer's next step. */
  private static final class FakeTicker implements Ticker {
    final List<Duration> sleeps = new ArrayList<>();
    final Deque<Runnable> writerSteps = new ArrayDeque<>();
    long nanos;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
      nanos += duration.toNanos();
      Runnable step = writerSteps.poll();
      if (step != null) {
        step.run();
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    inventory = dir.resolve("inventory.yaml");
    Files.writeString(inventory, "instances:\n" + entry("web-0", "10.0.0.4"));
    ticker = new FakeTicker();
    provider = FileDiscoveryProvider.builder(inventory).settle(SETTLE).ticker(ticker).build();
  }

  @Test
  void discover_fileWrittenInPlaceInChunks_isParsedOnlyWhenWhole() throws Exception {
    Files.writeString(inventory, "instances:\n" + entry("old-0", "10.0.0.9"));
    provider.discover();
    ticker.sleeps.clear();
    // Truncate and write the first chunk: a valid inventory, but only part of the fleet.
    Files.writeString(inventory, "instances:\n" + entry("web-0", "10.0.0.4"));
    ticker.writerSteps.add(() -> append(entry("web-1", "10.0.0.5")));
    ticker.writerSteps.add(() -> append(entry("web-2", "10.0.0.6")));

    List<Instance> instances = provider.discover().instances();

    assertThat(instances).extracting(Instance::name).containsExactly("web-0", "web-1", "web-2");
    assertThat(ticker.sleeps).containsExactly(SETTLE, SETTLE, SETTLE);
  }

  @Test
  void discover_truncatedFile_isNotTakenAsASmallerWorld() throws Exception {
    Files.writeString(
        inventory,
        "instances:\n" + entry("web-0", "10.0.0.4") + entry("web-1", "10.0.0.5"),
        StandardOpenOption.TRUNCATE_EXISTING);
    assertThat(provider.discover().instances()).hasSize(2);
    // Mid-rewrite: the file holds one of its three instances when the provider reads it.
    Files.writeString(inventory, "instances:\n" + entry("web-0", "10.0.0.4"));
    ticker.writerSteps.add(() -> append(entry("web-1", "10.0.0.5") + entry("web-2", "10.0.0.6")));

    assertThat(provider.discover().instances()).hasSize(3);
  }

  @Test
  void discover_unchangedFile_isNeitherWaitedForNorParsedAgain() throws Exception {
    List<Instance> first = provider.discover().instances();
    ticker.sleeps.clear();

    List<Instance> second = provider.discover().instances();

    assertThat(ticker.sleeps).isEmpty();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void discover_fileThatNeverSettles_failsNamingTheFileAndTheSettleTime() {
    for (int i = 0; i < FileDiscoveryProvider.MAX_SETTLE_ROUNDS; i++) {
      String ip = "10.0.1." + (i + 1);
      ticker.writerSteps.add(() -> append(entry("web-" + ip, ip)));
    }

    assertThatThrownBy(provider::discover)
        .isInstanceOf(DiscoveryException.class)
        .hasMessage(
            "inventory "
                + inventory
                + " changed on each of 20 reads 250 ms apart; it is read once it stays unchanged"
                + " for 250 ms");
    assertThat(provider.lastGood()).isEmpty();
  }

  @Test
  void discover_zeroSettle_parsesAtOnce() throws Exception {
    FileDiscoveryProvider atOnce =
        FileDiscoveryProvider.builder(inventory).settle(Duration.ZERO).ticker(ticker).build();

    assertThat(atOnce.discover().instances()).extracting(Instance::name).containsExactly("web-0");
    assertThat(ticker.sleeps).isEmpty();
  }

  @Test
  void builder_negativeSettle_isRejected() {
    assertThatThrownBy(
            () -> FileDiscoveryProvider.builder(inventory).settle(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("settle (PT-0.001S) must not be negative");
  }

  private void append(String text) {
    try {
      Files.writeString(inventory, text, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String entry(String name, String ip) {
    return "  - name: " + name + "\n    private_ip: " + ip + "\n";
  }
}
