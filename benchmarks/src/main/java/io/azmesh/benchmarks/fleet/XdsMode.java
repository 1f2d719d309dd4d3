package io.azmesh.benchmarks.fleet;

import java.util.Locale;

/** Which xDS protocol variant the load generator's streams speak. */
public enum XdsMode {
  /** State of the world: every response of a type carries the set the server chose to send. */
  SOTW,
  /** Incremental: responses carry only added, changed and removed resources. */
  DELTA;

  /** The name used on the command line and in the report. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
