package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the watch reads while nothing changes, and what it still notices. */
class FileWatchTest {
  @TempDir Path dir;

  @Test
  void quietPolls_readTheContentOnlyNowAndThen() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, "instances: []\n");
    try (FileWatch watch = FileWatch.start(file, Duration.ofMillis(2), () -> {})) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (watch.polls() < 4L * FileWatch.CONTENT_CHECK_EVERY && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long polls = watch.polls();
      assertThat(polls).isGreaterThanOrEqualTo(4L * FileWatch.CONTENT_CHECK_EVERY);
      // Was one read per poll: the watch read and hashed the whole file every second.
      assertThat(watch.contentReads())
          .isLessThanOrEqualTo(polls / FileWatch.CONTENT_CHECK_EVERY + 1);
    }
  }

  @Test
  void anEditThatKeepsSizeAndTime_isStillSignalled() throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, "instances: [a]\n");
    FileTime time = Files.getLastModifiedTime(file);
    Semaphore signals = new Semaphore(0);
    try (FileWatch watch = FileWatch.start(file, Duration.ofMillis(2), signals::release)) {
      Files.writeString(file, "instances: [b]\n");
      Files.setLastModifiedTime(file, time);

      assertThat(signals.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
