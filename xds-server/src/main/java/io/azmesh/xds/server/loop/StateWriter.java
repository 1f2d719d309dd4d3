package io.azmesh.xds.server.loop;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the control loop's {@link StateFile} on a thread of its own, so a publish never waits for
 * the disk: the newest state wins, and a state equal to the one last written is not written again.
 * Writes are spaced by at least {@link #MIN_INTERVAL}, and by more when a write costs more: a write
 * may use at most {@link #MAX_CPU_SHARE} of one core over the interval that follows it, up to
 * {@link #MAX_INTERVAL}. A write encodes the whole state, so its cost grows with the fleet; its
 * share of the CPU does not, however often the fleet changes. {@link #close()} writes what is
 * pending before it returns, so a clean stop loses nothing; a crash loses at most the last
 * interval, after which the restarted loop plans from the state before it (an endpoint that left in
 * that interval drains from the restart on).
 */
final class StateWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

  /** The least time between two writes; changes in between are written together. */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** The most time between two writes while changes are pending: what a crash can lose. */
  static final Duration MAX_INTERVAL = Duration.ofSeconds(30);

  /** The share of one core the writer may use, on average, while changes keep coming. */
  static final double MAX_CPU_SHARE = 0.05;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** What a write is compared by, to skip writes that would change nothing. */
  record Key(ServingState state, long snapshotVersion, long lastEventSequence) {}

  private record Pending(Key key, StateFile.Saved saved) {}

  private final StateFile file;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor executor;
  private final Object lock = new Object();
  private Pending pending;
  private boolean scheduled;
  private long lastWriteNanos;
  private long interval = MIN_INTERVAL.toNanos();
  private boolean wroteOnce;
  // Only the writer thread, or close() once the thread has stopped, touches these.
  private Key written;
  private String lastError = "";

  StateWriter(StateFile file, Clock clock, Key alreadyWritten) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.written = alreadyWritten;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "azmesh-state-writer");
              thread.setDaemon(true);
              return thread;
            });
    // On close, a write waiting for its interval is done at once by close() itself.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Saves {@code saved} soon, replacing anything not yet written. */
  void submit(Key key, StateFile.Saved saved) {
    synchronized (lock) {
      pending = new Pending(key, saved);
      if (scheduled || executor.isShutdown()) {
        return;
      }
      scheduled = true;
      long delay = wroteOnce ? Math.max(0, lastWriteNanos + interval - System.nanoTime()) : 0;
      executor.schedule(this::writePending, delay, TimeUnit.NANOSECONDS);
    }
  }

  private void writePending() {
    Pending next;
    synchronized (lock) {
      next = pending;
      pending = null;
      scheduled = false;
      lastWriteNanos = System.nanoTime();
      wroteOnce = true;
    }
    if (next != null) {
      long started = cpuNanos();
      write(next);
      long cost = cpuNanos() - started;
      synchronized (lock) {
        interval = intervalAfter(cost);
      }
    }
  }

  /** The interval after a write that used {@code costNanos} of CPU. */
  static long intervalAfter(long costNanos) {
    long spaced = Math.round(costNanos / MAX_CPU_SHARE);
    return Math.min(MAX_INTERVAL.toNanos(), Math.max(MIN_INTERVAL.toNanos(), spaced));
  }

  private static long cpuNanos() {
    // Wall time where the platform does not measure a thread's CPU: an upper bound of it.
    return THREADS.isCurrentThreadCpuTimeSupported()
        ? THREADS.getCurrentThreadCpuTime()
        : System.nanoTime();
  }

  private void write(Pending next) {
    if (next.key().equals(written)) {
      return;
    }
    try {
      file.write(next.saved(), clock.instant());
      written = next.key();
      lastError = "";
    } catch (UncheckedIOException e) {
      // Once per distinct error: a full disk must not become a line per refresh.
      if (!e.getMessage().equals(lastError)) {
        LOG.warn("{}; serving goes on, a restart would start without it", e.getMessage());
        lastError = e.getMessage();
      }
    }
  }

  /** Lets a running write finish, then writes what is still pending on the caller's thread. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Pending last;
    synchronized (lock) {
      last = pending;
      pending = null;
    }
    if (last != null) {
      write(last);
    }
  }
}
