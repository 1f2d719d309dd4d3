package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "2m, PT2M",
    "1h, PT1H",
    "PT1M30S, PT1M30S",
    "0s, PT0S",
    "0, PT0S"
  })
  void convert_acceptsShortAndIsoForms(String text, Duration expected) {
    assertThat(converter.convert(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "00", "0.0", "30 s", "1d", "-5s", "soon"})
  void convert_rejectsAnythingElseQuotingIt(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is not a duration such as 500ms, 30s, 2m, 1h or PT30S");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT-5S"})
  void convert_rejectsNegativeIsoDurations(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is negative");
  }
}
