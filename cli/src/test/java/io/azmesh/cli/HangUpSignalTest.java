package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HangUpSignalTest {

  @Test
  void onHangUp_runsTheActionWhenThisProcessGetsSighup() throws Exception {
    CountDownLatch hungUp = new CountDownLatch(1);
    // Installed, SIGHUP runs the action instead of the JVM's shutdown: this test survives it.
    assertThat(HangUpSignal.onHangUp(hungUp::countDown)).isTrue();

    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
            .inheritIO()
            .start();

    assertThat(kill.waitFor()).isZero();
    assertThat(hungUp.await(30, TimeUnit.SECONDS)).as("the action ran on SIGHUP").isTrue();
  }

  /**
   * Started with SIGHUP ignored (nohup), the JVM keeps it ignored and installs no handler, although
   * {@code Signal.handle} returns without error: serve must not claim it reloads on SIGHUP.
   */
  @Test
  void onHangUp_saysSoWhenTheProcessWasStartedIgnoringSighup() throws Exception {
    Process child =
        new ProcessBuilder(
                "nohup",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HangUpSignalProbe.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out.strip()).isEqualTo("installed false");
  }
}
