package io.azmesh.discovery.file;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances listed in a YAML or JSON inventory file (format: {@code docs/inventory.md}).
 *
 * <p>Every {@link #discover()} reads the file afresh. A file with any problem (bad syntax, unknown
 * field, invalid IP, duplicate name, ...) is rejected as a whole with an {@link
 * InvalidInventoryException} listing every problem by file and line: a half-edited inventory never
 * becomes a smaller world, and the caller keeps serving its last good {@link Discovery}. {@link
 * #lastGood()} holds the last inventory that was read without problems.
 *
 * <p>{@link #onChange} watches the file and signals within about a second of an edit that changes
 * its content.
 */
public final class FileDiscoveryProvider implements DiscoveryProvider {
  /** The name this provider is registered under. */
  public static final String NAME = "file";

  private static final Logger log = LoggerFactory.getLogger(FileDiscoveryProvider.class);

  /** How often the watch checks the file when the file system sends no events. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private final Path inventory;
  private final InventoryParser parser;
  private final Clock clock;
  private final Duration pollInterval;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private InventoryWatch watch;
  private volatile Discovery lastGood;
  private boolean closed;

  private FileDiscoveryProvider(Path inventory, Clock clock, Duration pollInterval) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval (" + pollInterval + ") must be positive");
    }
    this.parser = new InventoryParser(inventory.toString(), InventoryFormat.forPath(inventory));
  }

  /** A provider for {@code inventory} with the system clock and the default poll interval. */
  public static FileDiscoveryProvider of(Path inventory) {
    return new FileDiscoveryProvider(inventory, Clock.systemUTC(), DEFAULT_POLL_INTERVAL);
  }

  /** A provider whose discoveries are stamped by {@code clock} and whose watch polls as given. */
  public static FileDiscoveryProvider of(Path inventory, Clock clock, Duration pollInterval) {
    return new FileDiscoveryProvider(inventory, clock, pollInterval);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The inventory file this provider reads. */
  public Path inventory() {
    return inventory;
  }

  @Override
  public Discovery discover() throws DiscoveryException {
    long started = System.nanoTime();
    List<Instance> instances = parser.parse(read());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    Discovery discovery =
        new Discovery(instances, List.of(), clock.instant(), new DiscoveryStats(NAME, 0, elapsed));
    lastGood = discovery;
    return discovery;
  }

  /** The last discovery that succeeded, if any; a rejected edit leaves it unchanged. */
  public Optional<Discovery> lastGood() {
    return Optional.ofNullable(lastGood);
  }

  private String read() throws DiscoveryException {
    try {
      byte[] bytes = Files.readAllBytes(inventory);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new DiscoveryException("io", "inventory " + inventory + " does not exist", e);
    } catch (CharacterCodingException e) {
      throw new DiscoveryException(
          InvalidInventoryException.CAUSE, "inventory " + inventory + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new DiscoveryException(
          "io", "cannot read inventory " + inventory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ChangeSubscription onChange(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("provider for " + inventory + " is closed");
      }
      listeners.add(listener);
      if (watch == null) {
        watch = InventoryWatch.start(inventory, pollInterval, this::signal);
      }
    }
    return () -> unsubscribe(listener);
  }

  private void unsubscribe(Runnable listener) {
    InventoryWatch stopped = null;
    synchronized (lock) {
      listeners.remove(listener);
      if (listeners.isEmpty() && watch != null) {
        stopped = watch;
        watch = null;
      }
    }
    if (stopped != null) {
      stopped.close();
    }
  }

  /** Tells every listener; one that fails does not keep the others from hearing. */
  private void signal() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("change listener for {} failed", inventory, e);
      }
    }
  }

  @Override
  public void close() {
    InventoryWatch stopped;
    synchronized (lock) {
      closed = true;
      listeners.clear();
      stopped = watch;
      watch = null;
    }
    if (stopped != null) {
      stopped.close();
    }
  }
}
