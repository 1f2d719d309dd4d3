package io.azmesh.cli;

import io.azmesh.discovery.file.FileDiscoveryProvider;
import io.azmesh.discovery.file.FileWatch;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.MeshConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads {@code meshctl serve}'s {@code --config} file while it serves: when the file's content
 * changes (watched like the inventory, and read once it stayed the same for the settle time, so a
 * file written in place is never read half-written) and on SIGHUP. The mesh configuration goes to
 * the running control plane, which validates it like any other and keeps the last good one serving
 * when it is refused. The {@code meshctl:} section holds options read only at start: a change there
 * is named in a warning and left as it was.
 *
 * <p>Reloads run one at a time on a thread of their own; a request that arrives while one is
 * waiting to run joins it.
 */
final class ConfigReload implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProblemLog.LOGGER);

  /** A file that keeps changing for this many settle times is refused for now. */
  private static final int MAX_SETTLE_ROUNDS = 20;

  private static final Pattern LINE = Pattern.compile("^(\\d+): ");

  /**
   * What to reload and what serve started with.
   *
   * @param file the config file
   * @param startedWith the file as serve read it at start: the baseline of its option section
   * @param knownOptions every option name the {@code meshctl:} section may hold
   * @param settle how long new content must stay unchanged before it is read; zero reads at once
   */
  record Settings(
      Path file,
      ConfigFile startedWith,
      Set<String> knownOptions,
      Duration settle,
      StateFingerprint fingerprint) {
    Settings {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(startedWith, "startedWith");
      knownOptions = Set.copyOf(knownOptions);
      Objects.requireNonNull(settle, "settle");
      if (settle.isNegative()) {
        throw new IllegalArgumentException("settle (" + settle + ") must not be negative");
      }
    }
  }

  private final Settings settings;
  private final ControlPlane plane;
  private final ExecutorService worker;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final FileWatch watch;
  // The text serve serves now (or was refused last): a watch event for the same text is no news.
  private String lastText;

  private ConfigReload(Settings settings, ControlPlane plane) {
    this.settings = settings;
    this.plane = plane;
    this.lastText = settings.startedWith().meshConfigText();
    this.worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "azmesh-config-reload");
              thread.setDaemon(true);
              return thread;
            });
    this.watch =
        FileWatch.start(
            settings.file(),
            FileDiscoveryProvider.DEFAULT_POLL_INTERVAL,
            () -> request(Trigger.EDIT));
    // An edit between serve's first read and the watch's baseline would go unseen otherwise.
    request(Trigger.START);
  }

  /** Why a reload runs; the log line says it. */
  enum Trigger {
    START("the file changed while serve started"),
    EDIT("the file changed"),
    SIGHUP("SIGHUP");

    private final String reason;

    Trigger(String reason) {
      this.reason = reason;
    }
  }

  /**
   * Watches {@code settings.file()} and reloads it into {@code plane} from now on; the saved state
   * is bound to each mesh configuration that serves.
   */
  static ConfigReload start(Settings settings, ControlPlane plane) {
    return new ConfigReload(settings, plane);
  }

  /** Asks for a reload; it runs on the reload thread, after the one running now if any. */
  void request(Trigger trigger) {
    if (!pending.compareAndSet(false, true)) {
      return;
    }
    try {
      worker.execute(() -> reload(trigger));
    } catch (RejectedExecutionException e) {
      // Closed: serve is stopping.
      pending.set(false);
    }
  }

  private void reload(Trigger trigger) {
    pending.set(false);
    Path file = settings.file();
    ConfigFile read;
    MeshConfig mesh;
    try {
      read = ConfigFile.parse(file, settledText());
      MeshctlDefaults.unknownOption(read, settings.knownOptions())
          .ifPresent(
              message -> {
                throw new IllegalArgumentException(message);
              });
      if (trigger != Trigger.SIGHUP && read.meshConfigText().equals(lastText)) {
        warnAboutOptions(read);
        return;
      }
      lastText = read.meshConfigText();
      log.info("reloading {}: {}", file, trigger.reason);
      mesh = MeshConfig.parse(read.meshConfigText(), file.toString());
    } catch (MeshConfigException | IllegalArgumentException e) {
      plane.configurationRejected(file.toString(), withoutFile(e.getMessage()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    warnAboutOptions(read);
    try {
      plane
          .reconfigure(
              file.toString(),
              mesh,
              settings.fingerprint().withMeshConfig(file, read.meshConfigText()).toString())
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn(
          "reloading {} failed; the configuration read before keeps serving", file, e.getCause());
    }
  }

  /** Options are read at start only: a change to them is named, and waits for a restart. */
  private void warnAboutOptions(ConfigFile read) {
    Set<String> changed = new TreeSet<>();
    Map<String, String> before = values(settings.startedWith());
    Map<String, String> now = values(read);
    before.forEach(
        (option, value) -> {
          if (!value.equals(now.get(option))) {
            changed.add(option);
          }
        });
    now.keySet().stream().filter(option -> !before.containsKey(option)).forEach(changed::add);
    if (!changed.isEmpty()) {
      log.warn(
          "{}: {} changed; serve reads options only at start and keeps the values it started with"
              + " until it is restarted",
          settings.file(),
          changed.stream().map(o -> ConfigFile.SECTION + "." + o).toList());
    }
  }

  private static Map<String, String> values(ConfigFile file) {
    Map<String, String> values = new TreeMap<>();
    file.settings().forEach((option, setting) -> values.put(option, setting.value()));
    return values;
  }

  /** The file's content once it stayed the same for the settle time. */
  private String settledText() throws InterruptedException {
    byte[] content = read();
    if (settings.settle().isZero()) {
      return new String(content, StandardCharsets.UTF_8);
    }
    for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      TimeUnit.NANOSECONDS.sleep(settings.settle().toNanos());
      byte[] again = read();
      if (Arrays.equals(again, content)) {
        return new String(content, StandardCharsets.UTF_8);
      }
      content = again;
    }
    throw new IllegalArgumentException(
        "it changed on each of "
            + MAX_SETTLE_ROUNDS
            + " reads "
            + settings.settle().toMillis()
            + " ms apart; it is read once it stays unchanged for "
            + settings.settle().toMillis()
            + " ms");
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(settings.file());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + settings.file() + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read config file " + settings.file() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The message without its leading file name, which the problem and the event name anyway: {@code
   * mesh.yaml: line 3, column 5: ...} and {@code mesh.yaml:4: ...} (the option section's form) both
   * become {@code line N...}.
   */
  private String withoutFile(String message) {
    String prefix = settings.file() + ":";
    if (!message.startsWith(prefix)) {
      return message;
    }
    String rest = message.substring(prefix.length()).strip();
    Matcher line = LINE.matcher(rest);
    return line.find() ? "line " + line.group(1) + ": " + rest.substring(line.end()) : rest;
  }

  /** Stops watching; a reload under way is interrupted. */
  @Override
  public void close() {
    watch.close();
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
