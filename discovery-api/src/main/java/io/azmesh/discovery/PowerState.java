package io.azmesh.discovery;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The power state of an instance, as Azure reports it in {@code PowerState/<code>}. */
public enum PowerState {
  RUNNING("running"),
  STARTING("starting"),
  STOPPING("stopping"),
  STOPPED("stopped"),
  DEALLOCATING("deallocating"),
  DEALLOCATED("deallocated"),
  UNKNOWN("unknown");

  private final String code;

  PowerState(String code) {
    this.code = code;
  }

  /** The lower-case code used by Azure and in inventory files, e.g. {@code running}. */
  public String code() {
    return code;
  }

  /** Whether an instance in this state may receive traffic. */
  public boolean isServing() {
    return this == RUNNING;
  }

  /**
   * Parses {@code running} or Azure's status code {@code PowerState/running}, ignoring case.
   * Returns empty for anything else, so callers can report the value in their own terms.
   */
  public static Optional<PowerState> fromCode(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String code = value.trim().toLowerCase(Locale.ROOT);
    if (code.startsWith("powerstate/")) {
      code = code.substring("powerstate/".length());
    }
    for (PowerState state : values()) {
      if (state.code.equals(code)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }

  /** The accepted codes, comma separated, for error messages. */
  public static String codes() {
    return Arrays.stream(values()).map(PowerState::code).collect(Collectors.joining(", "));
  }
}
