package io.azmesh.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} run headless in a child process: loads a page, lets its scripts run and
 * writes the DOM or a screenshot. Each run gets its own profile directory and no network other than
 * the URL it is given.
 */
record HeadlessChromium(Path executable, Path output, Path profiles) {

  /** Debian's package, which .ci/run installs. */
  static final SystemProgram PROGRAM = new SystemProgram("chromium", "chromium");

  private static final long RUN_TIMEOUT_SECONDS = 120;

  /** Virtual time the page's scripts get; Chromium also waits for pending fetches. */
  private static final String SCRIPT_BUDGET_MS = "10000";

  /** The page's DOM after its scripts ran, as HTML. */
  String dumpDom(String url, String runName) throws IOException, InterruptedException {
    Path dom = output.resolve(runName + ".html");
    run(runName, List.of("--dump-dom", url), dom);
    return Files.readString(dom, StandardCharsets.UTF_8);
  }

  /** Writes a PNG of the page, {@code width} by {@code height} CSS pixels, to {@code png}. */
  void screenshot(String url, Path png, int width, int height)
      throws IOException, InterruptedException {
    run(
        "screenshot",
        List.of(
            "--screenshot=" + png.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            url),
        output.resolve("screenshot.out"));
  }

  private void run(String runName, List<String> arguments, Path stdout)
      throws IOException, InterruptedException {
    Path profile = Files.createDirectories(profiles.resolve(runName));
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--user-data-dir=" + profile.toAbsolutePath(),
            "--virtual-time-budget=" + SCRIPT_BUDGET_MS));
    command.addAll(arguments);
    Path log = output.resolve(runName + ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(log.toFile())
            .start();
    if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "chromium did not finish " + runName + " in " + RUN_TIMEOUT_SECONDS + " s; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "chromium exited with " + process.exitValue() + " on " + runName + "; see " + log);
    }
  }
}
