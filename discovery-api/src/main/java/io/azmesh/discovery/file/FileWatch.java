package io.azmesh.discovery.file;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when the content of one file changes: the file provider's inventory, {@code meshctl
 * serve}'s config file.
 *
 * <p>It watches the file's directory, not the file: editors and config-map mounts replace a file by
 * renaming another over it, which a watch on the file itself would miss. Directory events only wake
 * it up; the content fingerprint decides whether the file really changed. It also wakes every
 * {@code pollInterval} on its own, for file systems that deliver no events (network mounts).
 *
 * <p>A writer of a temporary file beside the inventory (the atomic replace) raises an event per
 * chunk it writes; reading and hashing a 2 MB inventory for each was most of what the watch cost.
 * An event therefore reads the content only when the file's attributes (file key, size, modified
 * time, following links) changed; the wake-up every {@code pollInterval} always reads it.
 */
public final class FileWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileWatch.class);

  private final Path file;
  private final Duration pollInterval;
  private final Runnable onChange;
  private final WatchService watchService;
  private final Thread thread;
  private FileFingerprint last;
  private Stamp lastStamp;
  private long quietPolls;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong contentReads = new AtomicLong();

  /** Polls with an unchanged stamp between two reads of the content. */
  static final int CONTENT_CHECK_EVERY = 30;

  /** What the file system says of the file without reading it; null fields when it is absent. */
  private record Stamp(Object fileKey, long size, FileTime modified) {
    static final Stamp ABSENT = new Stamp(null, -1, null);

    static Stamp of(Path file) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
      } catch (IOException e) {
        return ABSENT;
      }
    }
  }

  private FileWatch(Path file, Duration pollInterval, Runnable onChange) throws IOException {
    this.file = file.toAbsolutePath();
    this.pollInterval = pollInterval;
    this.onChange = onChange;
    Path directory = this.file.getParent();
    this.watchService = directory.getFileSystem().newWatchService();
    try {
      directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    } catch (IOException | RuntimeException e) {
      watchService.close();
      throw e;
    }
    this.lastStamp = Stamp.of(this.file);
    this.last = FileFingerprint.of(this.file);
    this.thread = new Thread(this::run, "azmesh-file-watch-" + this.file.getFileName());
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching {@code file}; the fingerprint taken now is the baseline for "changed". {@code
   * onChange} runs on the watch's own thread, one call at a time.
   */
  public static FileWatch start(Path file, Duration pollInterval, Runnable onChange) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(onChange, "onChange");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval (" + pollInterval + ") must be positive");
    }
    try {
      FileWatch watch = new FileWatch(file, pollInterval, onChange);
      watch.thread.start();
      return watch;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch the directory of " + file, e);
    }
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = watchService.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
        polls.incrementAndGet();
        Stamp stamp = Stamp.of(file);
        // The content is read when the file system says the file changed; with nothing said, every
        // CONTENT_CHECK_EVERY polls too, for an edit that left size and time as they were (within
        // the time's granularity). Reading it on every poll cost an 8 MB inventory 8 MB of garbage
        // and its SHA-256 every second while nothing changed.
        if (stamp.equals(lastStamp) && (key != null || ++quietPolls % CONTENT_CHECK_EVERY != 0)) {
          continue;
        }
        lastStamp = stamp;
        contentReads.incrementAndGet();
        FileFingerprint now = FileFingerprint.of(file);
        if (!now.equals(last)) {
          last = now;
          signal();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // close() was called: stop quietly.
    }
  }

  private void signal() {
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.warn("change listener for {} failed", file, e);
    }
  }

  /** How many times the watch looked at the file, and read its content; for tests. */
  long polls() {
    return polls.get();
  }

  long contentReads() {
    return contentReads.get();
  }

  @Override
  public void close() {
    try {
      watchService.close();
    } catch (IOException e) {
      log.debug("closing the watch of {} failed", file, e);
    }
    thread.interrupt();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
