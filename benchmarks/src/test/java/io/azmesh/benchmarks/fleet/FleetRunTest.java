package io.azmesh.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load generator's client logic against a real {@code meshctl serve} in a child JVM, at a size
 * that runs in seconds: every stream syncs and receives every change, by content. No timing is
 * asserted.
 */
class FleetRunTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(XdsMode.class)
  void run_everyStreamHoldsEveryChange(XdsMode mode) throws InterruptedException {
    FleetOptions options =
        FleetOptions.builder()
            .instances(12)
            .services(3)
            .streams(3)
            .stuckStreams(1)
            .changes(3)
            .batch(2)
            .reconnectStorm(true)
            .modes(List.of(mode))
            .workDir(dir)
            .settle(Duration.ZERO)
            .changeTimeout(Duration.ofSeconds(60))
            .syncTimeout(Duration.ofSeconds(60))
            .seed(7)
            .build();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    ModeResult result =
        new FleetRun(
                options, childMeshctl(), new PrintStream(progress, true, StandardCharsets.UTF_8))
            .run(mode);

    String log = progress.toString(StandardCharsets.UTF_8);
    assertThat(result.initialSync().unsynced()).as(log).isZero();
    assertThat(result.latency().missed()).as(log).isZero();
    assertThat(result.closedBeforeEnd()).as(log).isEmpty();
    assertThat(result.latency().samples()).as(log).isEqualTo(3 * 3);
    assertThat(result.changes())
        .extracting(ModeResult.ChangeResult::change)
        .as(log)
        .satisfiesExactly(
            c -> assertThat(c).startsWith("IP_CHANGE"),
            c -> assertThat(c).startsWith("ADD"),
            c -> assertThat(c).startsWith("REMOVE"));
    assertThat(result.changes()).allSatisfy(c -> assertThat(c.bytesPerStream()).isPositive());
    assertThat(result.storm()).hasValueSatisfying(s -> assertThat(s.unsynced()).isZero());
    assertThat(FleetReport.table(List.of(result))).contains("| " + mode.label() + " |");
  }

  /** meshctl from this test's classpath (cli is a test dependency), in its own JVM. */
  private static List<String> childMeshctl() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(
        ServeProcess.javaBinary(), "-Xmx128m", "-cp", classpath, "io.azmesh.cli.Meshctl");
  }
}
