package io.azmesh.discovery.azure;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses a setting's value into one of an enum's constants, naming the setting when it fails. */
final class SettingValues {
  private SettingValues() {}

  static <E extends Enum<E>> E parse(
      String setting, String value, Class<E> type, Function<E, String> spelling) {
    for (E constant : type.getEnumConstants()) {
      if (spelling.apply(constant).equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "setting "
            + setting
            + " is '"
            + value
            + "'; expected one of "
            + Arrays.stream(type.getEnumConstants())
                .map(spelling)
                .collect(Collectors.joining(", ")));
  }
}
