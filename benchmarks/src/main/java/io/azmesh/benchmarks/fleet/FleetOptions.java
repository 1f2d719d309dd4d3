package io.azmesh.benchmarks.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one load-generator run does: the fleet's size, the streams, the changes and the bounds.
 *
 * @param instances instances in the synthetic inventory
 * @param services services they are spread over
 * @param streams xDS streams that read and ACK, each on its own channel
 * @param stuckStreams extra streams that subscribe to everything and never read
 * @param changes single-endpoint changes written to the inventory, one at a time
 * @param warmupChanges changes made the same way before those, not measured: the server's JIT
 *     compiles its serving path during the first tens of changes
 * @param modes the protocol variants to run, each against a fresh server
 * @param batch streams opened together during the initial sync
 * @param reconnectStorm whether to close every stream and reopen them all at once at the end
 * @param heap the server's {@code -Xmx} value, e.g. {@code 512m}
 * @param serverJavaOptions more options for the server's JVM, before {@code -jar} (a JFR recording
 *     from its start, say)
 * @param meshctlJar the shaded meshctl jar the server runs from
 * @param workDir where the inventory and the server's log go
 * @param json where to write the results as JSON, if anywhere
 * @param syncTimeout how long one batch (or the storm) may take to sync
 * @param changeTimeout how long a change may take to reach every stream
 * @param settle quiet time after a change reached every stream, before measuring its cost
 * @param maxDuration the whole run's bound; past it the run stops with an error
 * @param eventLoopThreads the client's Netty event-loop threads, shared by all channels
 * @param inventoryFormat {@code yaml} or {@code json}
 * @param inventoryShape how a YAML inventory is written: header comment, tag style, key order
 * @param seed seeds the inventory and the choice of changes
 */
public record FleetOptions(
    int instances,
    int services,
    int streams,
    int stuckStreams,
    int changes,
    int warmupChanges,
    List<XdsMode> modes,
    int batch,
    boolean reconnectStorm,
    String heap,
    List<String> serverJavaOptions,
    Path meshctlJar,
    Path workDir,
    Optional<Path> json,
    Duration syncTimeout,
    Duration changeTimeout,
    Duration settle,
    Duration maxDuration,
    int eventLoopThreads,
    String inventoryFormat,
    InventoryShape inventoryShape,
    long seed) {

  public FleetOptions {
    requirePositive(instances, "instances");
    requirePositive(services, "services");
    requirePositive(streams, "streams");
    requirePositive(changes, "changes");
    if (warmupChanges < 0) {
      throw new IllegalArgumentException(
          "warmupChanges (" + warmupChanges + ") must not be negative");
    }
    requirePositive(batch, "batch");
    requirePositive(eventLoopThreads, "event-loop-threads");
    if (stuckStreams < 0) {
      throw new IllegalArgumentException("stuck-streams (" + stuckStreams + ") must be >= 0");
    }
    if (services * 3 > instances) {
      throw new IllegalArgumentException(
          "instances ("
              + instances
              + ") must be at least three per service ("
              + services
              + " services): changes need services with three serving instances");
    }
    modes = List.copyOf(modes);
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("modes must not be empty");
    }
    Objects.requireNonNull(heap, "heap");
    serverJavaOptions = List.copyOf(serverJavaOptions);
    Objects.requireNonNull(meshctlJar, "meshctlJar");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(syncTimeout, "syncTimeout");
    Objects.requireNonNull(changeTimeout, "changeTimeout");
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (!inventoryFormat.equals("yaml") && !inventoryFormat.equals("json")) {
      throw new IllegalArgumentException(
          "inventory-format is '" + inventoryFormat + "', not yaml or json");
    }
    Objects.requireNonNull(inventoryShape, "inventoryShape");
  }

  private static void requirePositive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " (" + value + ") must be positive");
    }
  }

  /** The fleet: 10,000 instances, 500 services, 1,000 streams, 30 changes, both modes. */
  public static Builder builder() {
    return new Builder();
  }

  static final String USAGE =
      """
      usage: java -cp benchmarks/target/benchmarks.jar io.azmesh.benchmarks.fleet.FleetLoad [options]
        --instances N          instances in the inventory (default 10000)
        --services N           services (default 500)
        --streams N            reading, ACKing xDS streams, one channel each (default 1000)
        --stuck-streams N      extra streams that never read (default 0)
        --changes N            single-endpoint changes: IP change, add, remove in turn (default 30)
        --warmup-changes N     changes made first and not measured, for the server's JIT (default 0)
        --mode sotw|delta|both (default both)
        --batch N              streams opened together at start (default 50)
        --reconnect-storm      at the end, reopen every stream at once and time the sync
        --heap SIZE            the server's -Xmx (default 512m)
        --server-java-option OPT  one more option for the server's JVM (repeatable), e.g.
                               -XX:StartFlightRecording=filename=serve.jfr,settings=profile
        --meshctl-jar PATH     (default cli/target/meshctl.jar)
        --work-dir DIR         inventory and server log (default: a new temp directory)
        --json PATH            also write the results as JSON
        --sync-timeout-s N     per batch (default 120)
        --change-timeout-s N   per change (default 30)
        --settle-ms N          quiet time after each change (default 200)
        --max-minutes N        bound on the whole run (default 30)
        --event-loop-threads N client Netty threads shared by all channels (default 2)
        --inventory-format yaml|json (default yaml)
        --inventory-header none|comment     YAML: a comment line before instances: (default none)
        --inventory-tags flow|block         YAML: tags as {k: v, ...} or one per line (default flow)
        --inventory-key-order fixed|shuffled  YAML: each entry's fields in one order or its own
                               (default fixed)
        --seed N               (default 42)
      """;

  /** Reads the command line; unknown or malformed options throw with the option named. */
  public static FleetOptions parse(String[] args) {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--reconnect-storm")) {
        b.reconnectStorm(true);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--instances" -> b.instances(integer(flag, value));
        case "--services" -> b.services(integer(flag, value));
        case "--streams" -> b.streams(integer(flag, value));
        case "--stuck-streams" -> b.stuckStreams(integer(flag, value));
        case "--changes" -> b.changes(integer(flag, value));
        case "--warmup-changes" -> b.warmupChanges(integer(flag, value));
        case "--mode" -> b.modes(modes(value));
        case "--batch" -> b.batch(integer(flag, value));
        case "--heap" -> b.heap(value);
        case "--server-java-option" -> b.serverJavaOption(value);
        case "--meshctl-jar" -> b.meshctlJar(Path.of(value));
        case "--work-dir" -> b.workDir(Path.of(value));
        case "--json" -> b.json(Path.of(value));
        case "--sync-timeout-s" -> b.syncTimeout(Duration.ofSeconds(integer(flag, value)));
        case "--change-timeout-s" -> b.changeTimeout(Duration.ofSeconds(integer(flag, value)));
        case "--settle-ms" -> b.settle(Duration.ofMillis(integer(flag, value)));
        case "--max-minutes" -> b.maxDuration(Duration.ofMinutes(integer(flag, value)));
        case "--event-loop-threads" -> b.eventLoopThreads(integer(flag, value));
        case "--inventory-format" -> b.inventoryFormat(value);
        case "--inventory-header" ->
            b.inventoryShape(
                new InventoryShape(
                    InventoryShape.parse(flag, value, InventoryShape.Header.class),
                    b.inventoryShape.tags(),
                    b.inventoryShape.keyOrder()));
        case "--inventory-tags" ->
            b.inventoryShape(
                new InventoryShape(
                    b.inventoryShape.header(),
                    InventoryShape.parse(flag, value, InventoryShape.Tags.class),
                    b.inventoryShape.keyOrder()));
        case "--inventory-key-order" ->
            b.inventoryShape(
                new InventoryShape(
                    b.inventoryShape.header(),
                    b.inventoryShape.tags(),
                    InventoryShape.parse(flag, value, InventoryShape.KeyOrder.class)));
        case "--seed" -> b.seed(integer(flag, value));
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    return b.build();
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " is '" + value + "', not a whole number");
    }
  }

  private static List<XdsMode> modes(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "sotw" -> List.of(XdsMode.SOTW);
      case "delta" -> List.of(XdsMode.DELTA);
      case "both" -> List.of(XdsMode.SOTW, XdsMode.DELTA);
      default ->
          throw new IllegalArgumentException("--mode is '" + value + "', not sotw, delta or both");
    };
  }

  /** Builds {@link FleetOptions}, starting from the fleet. */
  public static final class Builder {
    private int instances = 10_000;
    private int services = 500;
    private int streams = 1_000;
    private int stuckStreams;
    private int changes = 30;
    private int warmupChanges;
    private List<XdsMode> modes = List.of(XdsMode.SOTW, XdsMode.DELTA);
    private int batch = 50;
    private boolean reconnectStorm;
    private String heap = "512m";
    private final List<String> serverJavaOptions = new ArrayList<>();
    private Path meshctlJar = Path.of("cli", "target", "meshctl.jar");
    private Path workDir;
    private Path json;
    private Duration syncTimeout = Duration.ofSeconds(120);
    private Duration changeTimeout = Duration.ofSeconds(30);
    private Duration settle = Duration.ofMillis(200);
    private Duration maxDuration = Duration.ofMinutes(30);
    private int eventLoopThreads = 2;
    private String inventoryFormat = "yaml";
    private InventoryShape inventoryShape = InventoryShape.PLAIN;
    private long seed = 42;

    private Builder() {}

    public Builder instances(int instances) {
      this.instances = instances;
      return this;
    }

    public Builder services(int services) {
      this.services = services;
      return this;
    }

    public Builder streams(int streams) {
      this.streams = streams;
      return this;
    }

    public Builder stuckStreams(int stuckStreams) {
      this.stuckStreams = stuckStreams;
      return this;
    }

    public Builder changes(int changes) {
      this.changes = changes;
      return this;
    }

    public Builder warmupChanges(int warmupChanges) {
      this.warmupChanges = warmupChanges;
      return this;
    }

    public Builder modes(List<XdsMode> modes) {
      this.modes = modes;
      return this;
    }

    public Builder batch(int batch) {
      this.batch = batch;
      return this;
    }

    public Builder reconnectStorm(boolean reconnectStorm) {
      this.reconnectStorm = reconnectStorm;
      return this;
    }

    public Builder heap(String heap) {
      this.heap = heap;
      return this;
    }

    public Builder serverJavaOption(String option) {
      this.serverJavaOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    public Builder meshctlJar(Path meshctlJar) {
      this.meshctlJar = meshctlJar;
      return this;
    }

    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    public Builder json(Path json) {
      this.json = json;
      return this;
    }

    public Builder syncTimeout(Duration syncTimeout) {
      this.syncTimeout = syncTimeout;
      return this;
    }

    public Builder changeTimeout(Duration changeTimeout) {
      this.changeTimeout = changeTimeout;
      return this;
    }

    public Builder settle(Duration settle) {
      this.settle = settle;
      return this;
    }

    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = maxDuration;
      return this;
    }

    public Builder eventLoopThreads(int eventLoopThreads) {
      this.eventLoopThreads = eventLoopThreads;
      return this;
    }

    public Builder inventoryFormat(String inventoryFormat) {
      this.inventoryFormat = inventoryFormat;
      return this;
    }

    public Builder inventoryShape(InventoryShape inventoryShape) {
      this.inventoryShape = inventoryShape;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The options; without a work directory, a new temporary one. */
    public FleetOptions build() {
      Path dir = workDir;
      if (dir == null) {
        try {
          dir = java.nio.file.Files.createTempDirectory("azmesh-fleet-");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot create a work directory", e);
        }
      }
      return new FleetOptions(
          instances,
          services,
          streams,
          stuckStreams,
          changes,
          warmupChanges,
          new ArrayList<>(modes),
          batch,
          reconnectStorm,
          heap,
          serverJavaOptions,
          meshctlJar,
          dir,
          Optional.ofNullable(json),
          syncTimeout,
          changeTimeout,
          settle,
          maxDuration,
          eventLoopThreads,
          inventoryFormat,
          inventoryShape,
          seed);
    }
  }
}
