package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restart may serve from the state directory, and how the state file is kept. */
class SavedStateTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final TestProvider provider = new TestProvider(clock);
  private final TranslationFunction translation = TranslationFunction.of(MeshConfig.defaults());
  private final List<ControlLoop> loops = new ArrayList<>();

  @AfterEach
  void close() {
    loops.forEach(ControlLoop::close);
  }

  private ControlLoop loop(Path dir, String configuration, List<XdsResources> sink) {
    ControlLoop loop =
        ControlLoop.builder(provider, translation, (resources, seenAt) -> sink.add(resources))
            .clock(clock)
            .events(new EventLog(clock, 100))
            .stateDirectory(dir)
            .configuration(configuration)
            .build();
    loops.add(loop);
    return loop;
  }

  private static List<Instance> vms(String prefix, int count) {
    List<Instance> vms = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      vms.add(ControlLoopTest.vm(prefix + "-" + i, "api", 8000 + i));
    }
    return vms;
  }

  /** Serves {@code vms} under {@code configuration} once, and stops, leaving its state behind. */
  private void servedOnce(Path dir, String configuration, List<Instance> vms) {
    provider.set(vms);
    ControlLoop first = loop(dir, configuration, new ArrayList<>());
    first.refreshNow();
    first.close();
    loops.remove(first);
  }

  @Test
  void restart_stateOfAnotherConfigurationIsNotServedAndTheLogNamesBoth(@TempDir Path dir) {
    servedOnce(dir, "provider file, inventory /srv/a.yaml", vms("a", 4));
    List<XdsResources> sink = new ArrayList<>();
    provider.set(vms("b", 2));

    List<String> warnings = warnings(() -> loop(dir, "provider file, inventory /srv/b.yaml", sink));

    assertThat(sink).isEmpty();
    assertThat(loops.get(0).published()).isEmpty();
    assertThat(warnings)
        .containsExactly(
            "state file "
                + dir.resolve(StateFile.FILE_NAME)
                + " was saved for another configuration and is not served; saved for: provider"
                + " file, inventory /srv/a.yaml; this one: provider file, inventory /srv/b.yaml;"
                + " starting without saved state");
    // B's first discovery is published as it is: nothing of A to drain or to hold.
    assertThat(loops.get(0).refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(loops.get(0).published().orElseThrow().instances())
        .extracting(s -> s.instance().name())
        .containsExactly("b-1", "b-2");
    assertThat(loops.get(0).discovery().heldRemovals()).isEmpty();
  }

  @Test
  void restart_stateOlderThanTheMaxAgeIsNotServed(@TempDir Path dir) {
    servedOnce(dir, "c", vms("a", 4));
    clock.advance(ControlLoopConfig.defaults().stateMaxAge().plusSeconds(1));
    List<XdsResources> sink = new ArrayList<>();

    List<String> warnings = warnings(() -> loop(dir, "c", sink));

    assertThat(sink).isEmpty();
    assertThat(loops.get(0).published()).isEmpty();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("was saved at " + START)
        .contains("longer than the state's maximum age PT1H; its snapshot is not served");
  }

  @Test
  void restart_youngStateIsServedAsRestoredUntilADiscoveryConfirmsIt(@TempDir Path dir) {
    servedOnce(dir, "c", vms("a", 4));
    clock.advance(Duration.ofMinutes(59));
    List<XdsResources> sink = new ArrayList<>();

    ControlLoop loop = loop(dir, "c", sink);

    assertThat(sink).hasSize(1);
    assertThat(loop.published().orElseThrow().origin())
        .isEqualTo(PublishedSnapshot.Origin.RESTORED);
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);
    assertThat(loop.published().orElseThrow().origin())
        .isEqualTo(PublishedSnapshot.Origin.DISCOVERED);
  }

  @Test
  void restart_restoredDrainsEndOnTimeWhileTheProviderFails(@TempDir Path dir) {
    provider.set(vms("a", 3));
    ControlLoop first = loop(dir, "c", new ArrayList<>());
    first.refreshNow();
    provider.set(vms("a", 2));
    first.refreshNow();
    first.close();
    loops.remove(first);
    provider.fail(new io.azmesh.discovery.DiscoveryException("throttled", "ARM answered 429"));

    ControlLoop loop = loop(dir, "c", new ArrayList<>());
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PROVIDER_FAILED);
    assertThat(names(loop)).contains("a-3");
    clock.advance(ControlLoopConfig.defaults().drainPeriod());

    assertThat(loop.replanNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(names(loop)).containsExactly("a-1", "a-2");
    assertThat(loop.published().orElseThrow().origin())
        .isEqualTo(PublishedSnapshot.Origin.RESTORED);
  }

  @Test
  void restart_stateWhoseSnapshotFailsValidationIsNotServed(@TempDir Path dir) {
    servedOnce(dir, "c", vms("a", 2));
    List<XdsResources> sink = new ArrayList<>();

    List<String> warnings =
        warnings(
            () ->
                loops.add(
                    ControlLoop.builder(
                            provider, translation, (resources, seenAt) -> sink.add(resources))
                        .clock(clock)
                        .events(new EventLog(clock, 100))
                        .stateDirectory(dir)
                        .configuration("c")
                        .validator(resources -> List.of("cluster api: rejected by this test"))
                        .build()));

    assertThat(sink).isEmpty();
    assertThat(loops.get(0).published()).isEmpty();
    assertThat(warnings)
        .containsExactly(
            "state file "
                + dir.resolve(StateFile.FILE_NAME)
                + " holds a snapshot that does not pass validation and is not served: cluster"
                + " api: rejected by this test");
  }

  private static List<String> names(ControlLoop loop) {
    return loop.published().orElseThrow().instances().stream()
        .map(s -> s.instance().name())
        .toList();
  }

  @Test
  void stateDirectory_secondLoopOnALockedDirectoryFailsNamingTheDirectoryAndTheHolder(
      @TempDir Path dir) {
    loop(dir, "c", new ArrayList<>());

    assertThatThrownBy(() -> loop(dir, "c", new ArrayList<>()))
        .isInstanceOf(StateLock.StateDirectoryInUseException.class)
        .hasMessage(
            "state directory "
                + dir
                + " is in use by another control plane (pid "
                + ProcessHandle.current().pid()
                + " since "
                + START
                + "); run one serve per state directory, or give this one its own --state-dir");

    loops.get(0).close();
    loops.clear();
    loop(dir, "c", new ArrayList<>());
  }

  @Test
  void read_unknownEventKindIsSkippedNotTheWholeFile(@TempDir Path dir) throws Exception {
    servedOnce(dir, "c", vms("a", 2));
    Path file = dir.resolve(StateFile.FILE_NAME);
    String text = Files.readString(file);
    assertThat(text).contains("\"kind\":\"INSTANCE_ADDED\"");
    Files.writeString(
        file,
        text.replaceFirst("\"kind\":\"INSTANCE_ADDED\"", "\"kind\":\"FROM_A_NEWER_VERSION\""));

    StateFile.Saved saved = new StateFile(dir).read().orElseThrow();

    assertThat(saved.skipped()).hasSize(1);
    assertThat(saved.skipped().get(0)).startsWith("event ").contains("FROM_A_NEWER_VERSION");
    assertThat(saved.serving().serving()).hasSize(2);
    List<XdsResources> sink = new ArrayList<>();
    loop(dir, "c", sink);
    assertThat(sink).hasSize(1);
  }

  @Test
  void write_leavesNoTemporaryFileAndANewStartRemovesOnesAKilledWriterLeft(@TempDir Path dir)
      throws Exception {
    servedOnce(dir, "c", vms("a", 2));
    Path leftover = dir.resolve(StateFile.FILE_NAME + ".123.tmp");
    Files.writeString(leftover, "{\"format\": 2, \"half");

    loop(dir, "c", new ArrayList<>());

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(StateFile.FILE_NAME, StateLock.FILE_NAME);
    }
  }

  /**
   * A child JVM writes the state in a loop of 100 cycles and is killed with SIGKILL at a write; the
   * file it leaves is the state of the last write or of the one before, every time.
   */
  @Test
  void write_killedDuringAWriteLoopLeavesALoadableStateEveryTime(@TempDir Path dir)
      throws Exception {
    int kills = Integer.getInteger("azmesh.stateKills", 5);
    for (int kill = 0; kill < kills; kill++) {
      int at = 2 + (kill * 37) % 98;
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  StateWriteLoopMain.class.getName(),
                  dir.toString(),
                  "100")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try (BufferedReader lines =
              new BufferedReader(
                  new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          java.io.Writer go =
              new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
        String line;
        do {
          line = lines.readLine();
          if (line == null) {
            throw new AssertionError("the writer ended before write " + at);
          }
          // One write per line: the child cannot get past write `at` before the kill.
          go.write("\n");
          go.flush();
        } while (!line.equals("writing " + at));
        child.destroyForcibly();
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

      Optional<StateFile.Saved> saved = new StateFile(dir).read();

      assertThat(saved).as("state after a kill at write %d", at).isPresent();
      assertThat(saved.get().snapshotVersion()).isBetween((long) at - 1, (long) at);
    }
  }

  private static List<String> warnings(Runnable action) {
    return ControlLoopTest.warnings(action);
  }
}
