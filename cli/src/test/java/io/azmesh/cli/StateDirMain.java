package io.azmesh.cli;

import java.util.Map;

/**
 * Prints the state directory {@code meshctl serve --provider file --inventory ARG} would use, as
 * parsed by the real options in this JVM's environment; run in a child JVM with an environment a
 * test controls.
 */
public final class StateDirMain {
  private StateDirMain() {}

  public static void main(String[] args) {
    Serving.Settings settings =
        ParsedServe.settings(Map.of(), "serve", "--provider=file", "--inventory=" + args[0]);
    settings.provider().close();
    System.out.println("state-dir " + settings.stateDirectory().orElseThrow());
  }
}
