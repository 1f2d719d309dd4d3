package io.azmesh.xds.server.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * One control plane per state directory: an exclusive lock on {@value #FILE_NAME} in it, held for
 * as long as the loop runs. The file says who holds it (pid and since when), so a second process
 * can name the holder. The operating system releases the lock when the holder exits, even by kill
 * -9, so a stale lock file never blocks a restart.
 */
final class StateLock implements AutoCloseable {
  static final String FILE_NAME = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the directory's lock.
   *
   * @throws StateDirectoryInUseException if another process (or another loop of this one) holds it
   * @throws UncheckedIOException if the directory or its lock file cannot be created
   */
  static StateLock acquire(Path directory, Instant now) {
    Objects.requireNonNull(directory, "directory");
    Path path = directory.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // This JVM already holds it: another loop in the same process.
        lock = null;
      }
      if (lock == null) {
        String holder = holder(path);
        channel.close();
        throw new StateDirectoryInUseException(directory, holder);
      }
      String self = "pid " + ProcessHandle.current().pid() + " since " + now;
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new StateLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(
          "cannot lock state directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private static String holder(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "a process that has not written its pid yet" : text;
    } catch (IOException e) {
      return "a process whose lock file cannot be read (" + e.getMessage() + ")";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Already failing; the first error is the one reported.
    }
  }

  /** Releases the lock; the file stays, so the next holder reuses it. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it too.
    }
    closeQuietly(channel);
  }

  /** Another control plane serves from this state directory. */
  public static final class StateDirectoryInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StateDirectoryInUseException(Path directory, String holder) {
      super(
          "state directory "
              + directory
              + " is in use by another control plane ("
              + holder
              + "); run one serve per state directory, or give this one its own --state-dir");
    }
  }
}
