package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The writer spaces its writes so they use a bounded share of one core, whatever they cost. */
class StateWriterIntervalTest {

  @Test
  void aCheapWrite_isFollowedByTheLeastInterval() {
    assertThat(StateWriter.intervalAfter(Duration.ofMillis(10).toNanos()))
        .isEqualTo(StateWriter.MIN_INTERVAL.toNanos());
  }

  @Test
  void aCostlyWrite_spacesTheNextSoTheWriterUsesItsShare() {
    // 200 ms of CPU at a 5 % share: 4 s until the next write.
    assertThat(StateWriter.intervalAfter(Duration.ofMillis(200).toNanos()))
        .isEqualTo(Duration.ofSeconds(4).toNanos());
  }

  @Test
  void aVeryCostlyWrite_waitsNoLongerThanTheMostInterval() {
    assertThat(StateWriter.intervalAfter(Duration.ofSeconds(5).toNanos()))
        .isEqualTo(StateWriter.MAX_INTERVAL.toNanos());
  }
}
