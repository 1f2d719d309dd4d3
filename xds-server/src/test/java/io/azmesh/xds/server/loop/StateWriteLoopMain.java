package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.translator.MeshConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the state file in a loop, {@code cycles} times, saying {@code writing N} before each write
 * and waiting for a line on stdin to make it; run in a child JVM that a test kills with SIGKILL at
 * some write.
 */
public final class StateWriteLoopMain {
  private StateWriteLoopMain() {}

  public static void main(String[] args) throws java.io.IOException {
    java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    Path directory = Path.of(args[0]);
    int cycles = Integer.parseInt(args[1]);
    List<Instance> fleet = new ArrayList<>();
    for (int i = 1; i <= 400; i++) {
      fleet.add(ControlLoopTest.vm("vm-" + i, "svc-" + (i % 20), 8000 + i));
    }
    var translation =
        TranslationFunction.of(MeshConfig.defaults()).translate(fleet, java.util.Set.of());
    StateFile file = new StateFile(directory);
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    for (int cycle = 1; cycle <= cycles; cycle++) {
      System.out.println("writing " + cycle);
      System.out.flush();
      // Paced by the test: one write per line it sends, so a kill lands in the write it chose.
      if (in.readLine() == null) {
        return;
      }
      file.write(
          new StateFile.Saved(
              "test configuration",
              at,
              cycle,
              at,
              translation.resources(),
              ServingState.EMPTY,
              List.of(),
              List.of()),
          at.plusSeconds(cycle));
    }
    System.out.println("done");
  }
}
