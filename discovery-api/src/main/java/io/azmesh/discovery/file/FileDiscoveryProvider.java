package io.azmesh.discovery.file;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceChanges;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances listed in a YAML or JSON inventory file (format: {@code docs/inventory.md}).
 *
 * <p>Every {@link #discover()} reads the file afresh; content it has parsed before is not parsed
 * again. New content is parsed only once it has stayed the same for the settle time: a file being
 * written in place (in several chunks) is never read half-written, and a truncated file is not
 * taken as a smaller world. A file with any problem (bad syntax, unknown field, invalid IP,
 * duplicate name, ...) is rejected as a whole with an {@link InvalidInventoryException} listing
 * every problem by file and line: a half-edited inventory never becomes a smaller world, and the
 * caller keeps serving its last good {@link Discovery}. {@link #lastGood()} holds the last
 * inventory that was read without problems.
 *
 * <p>Each discovery after the first names the instances added, changed and removed since the
 * previous one this provider returned ({@link Discovery#changes()}).
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

  /** How long new content must stay unchanged before it is parsed. */
  public static final Duration DEFAULT_SETTLE = Duration.ofMillis(250);

  /** A file that keeps changing for this many settle times fails the discovery. */
  static final int MAX_SETTLE_ROUNDS = 20;

  private final Path inventory;
  private final IncrementalInventoryParser parser;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration settle;
  private final Ticker ticker;
  private final Object readLock = new Object();
  // The last content parsed and what it held: an unchanged file is not parsed again.
  private byte[] parsedContent;
  private List<Instance> parsedInstances;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private FileWatch watch;
  private volatile Discovery lastGood;
  private boolean closed;

  private FileDiscoveryProvider(Builder builder) {
    this.inventory = Objects.requireNonNull(builder.inventory, "inventory");
    this.clock = Objects.requireNonNull(builder.clock, "clock");
    this.pollInterval = Objects.requireNonNull(builder.pollInterval, "pollInterval");
    this.settle = Objects.requireNonNull(builder.settle, "settle");
    this.ticker = Objects.requireNonNull(builder.ticker, "ticker");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval (" + pollInterval + ") must be positive");
    }
    if (settle.isNegative()) {
      throw new IllegalArgumentException("settle (" + settle + ") must not be negative");
    }
    this.parser =
        new IncrementalInventoryParser(inventory.toString(), InventoryFormat.forPath(inventory));
  }

  /** A provider for {@code inventory} with the system clock and the default poll interval. */
  public static FileDiscoveryProvider of(Path inventory) {
    return builder(inventory).build();
  }

  /** A provider whose discoveries are stamped by {@code clock} and whose watch polls as given. */
  public static FileDiscoveryProvider of(Path inventory, Clock clock, Duration pollInterval) {
    return builder(inventory).clock(clock).pollInterval(pollInterval).build();
  }

  /** A builder for a provider of {@code inventory}; unset values take the defaults. */
  public static Builder builder(Path inventory) {
    return new Builder(inventory);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** How long new content must stay unchanged before it is parsed. */
  public Duration settle() {
    return settle;
  }

  /** The inventory file this provider reads. */
  public Path inventory() {
    return inventory;
  }

  @Override
  public Discovery discover() throws DiscoveryException {
    long started = System.nanoTime();
    synchronized (readLock) {
      byte[] content = read();
      if (!Arrays.equals(content, parsedContent)) {
        content = settled(content);
      }
      Optional<InstanceChanges> changes =
          lastGood == null ? Optional.empty() : Optional.of(InstanceChanges.NONE);
      if (!Arrays.equals(content, parsedContent)) {
        IncrementalInventoryParser.Result parsed = parser.parseWithChanges(text(content), content);
        parsedInstances = byId(parsed);
        parsedContent = content;
        changes = parsed.changes();
      }
      List<Instance> instances = parsedInstances;
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      Discovery discovery =
          new Discovery(
              instances,
              List.of(),
              clock.instant(),
              new DiscoveryStats(NAME, 0, elapsed),
              changes,
              List.of());
      lastGood = discovery;
      return discovery;
    }
  }

  /**
   * The parse's instances in id order, as a discovery keeps them: the last ones with the parse's
   * changes applied (a binary search each), or all of them sorted after a full parse.
   */
  private List<Instance> byId(IncrementalInventoryParser.Result parsed) {
    if (parsedInstances == null
        || parsed.changes().isEmpty()
        || parsed.parsed().size() > parsedInstances.size() / 8) {
      Instance[] sorted = parsed.instances().toArray(new Instance[0]);
      Arrays.sort(sorted, java.util.Comparator.comparing(Instance::id));
      return List.of(sorted);
    }
    InstanceChanges changes = parsed.changes().get();
    List<Instance> next = new ArrayList<>(parsedInstances);
    for (String id : changes.removed()) {
      next.remove(Discovery.indexOf(next, id));
    }
    for (Instance instance : parsed.parsed()) {
      int at = Discovery.indexOf(next, instance.id());
      if (at >= 0) {
        next.set(at, instance);
      } else {
        next.add(-at - 1, instance);
      }
    }
    return List.copyOf(next);
  }

  /** What the parses of changed content have cost so far: incremental and full, and why. */
  public InventoryParseStats parseStats() {
    synchronized (readLock) {
      return parser.stats();
    }
  }

  /**
   * The file's content once it has stayed the same for the settle time. A writer that truncates and
   * writes in chunks leaves a prefix for a moment, and a prefix cut at an instance boundary is
   * valid YAML: parsing it would drop the rest of the fleet.
   */
  private byte[] settled(byte[] first) throws DiscoveryException {
    if (settle.isZero()) {
      return first;
    }
    byte[] content = first;
    for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      try {
        ticker.sleep(settle);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DiscoveryException("io", "interrupted while inventory " + inventory + " settled");
      }
      byte[] again = read();
      if (Arrays.equals(again, content)) {
        return content;
      }
      content = again;
    }
    throw new DiscoveryException(
        "io",
        "inventory "
            + inventory
            + " changed on each of "
            + MAX_SETTLE_ROUNDS
            + " reads "
            + settle.toMillis()
            + " ms apart; it is read once it stays unchanged for "
            + settle.toMillis()
            + " ms");
  }

  /** The last discovery that succeeded, if any; a rejected edit leaves it unchanged. */
  public Optional<Discovery> lastGood() {
    return Optional.ofNullable(lastGood);
  }

  private byte[] read() throws DiscoveryException {
    try {
      return Files.readAllBytes(inventory);
    } catch (NoSuchFileException e) {
      throw new DiscoveryException("io", "inventory " + inventory + " does not exist", e);
    } catch (IOException e) {
      throw new DiscoveryException(
          "io", "cannot read inventory " + inventory + ": " + e.getMessage(), e);
    }
  }

  private String text(byte[] content) throws DiscoveryException {
    // The lenient decoder is several times faster; only text with a replacement character in it
    // (malformed input, or a real U+FFFD) goes through the strict one.
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new DiscoveryException(
          InvalidInventoryException.CAUSE, "inventory " + inventory + " is not UTF-8 text", e);
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
        watch = FileWatch.start(inventory, pollInterval, this::signal);
      }
    }
    return () -> unsubscribe(listener);
  }

  private void unsubscribe(Runnable listener) {
    FileWatch stopped = null;
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
    FileWatch stopped;
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

  /** Builds a {@link FileDiscoveryProvider}; anything not set takes its default. */
  public static final class Builder {
    private final Path inventory;
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration settle = DEFAULT_SETTLE;
    private Ticker ticker = Ticker.SYSTEM;

    private Builder(Path inventory) {
      this.inventory = Objects.requireNonNull(inventory, "inventory");
    }

    /** What stamps each discovery's {@code observedAt}. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How often the watch checks the file when the file system sends no events. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * How long new content must stay unchanged before it is parsed; zero parses at once (for
     * writers that only ever replace the file by renaming a complete one over it).
     */
    public Builder settle(Duration settle) {
      this.settle = settle;
      return this;
    }

    /** The time the settle wait is measured and spent in. */
    public Builder ticker(Ticker ticker) {
      this.ticker = ticker;
      return this;
    }

    public FileDiscoveryProvider build() {
      return new FileDiscoveryProvider(this);
    }
  }
}
