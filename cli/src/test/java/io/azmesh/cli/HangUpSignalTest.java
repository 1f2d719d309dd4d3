package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
