package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {

  @TempDir Path dir;

  @Test
  void matches_onlyTheExactToken() {
    BearerToken token = BearerToken.of("abc123");

    assertThat(token.matches("abc123")).isTrue();
    assertThat(token.matches("abc124")).isFalse();
    assertThat(token.matches("abc1234")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void toString_neverShowsTheValue() {
    assertThat(BearerToken.of("abc123").toString()).isEqualTo("BearerToken[redacted]");
  }

  @Test
  void of_rejectsEmptyAndInnerWhitespace() {
    assertThatThrownBy(() -> BearerToken.of("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bearer token must not be empty");
    assertThatThrownBy(() -> BearerToken.of("abc def"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bearer token must be printable ASCII without spaces (character 4 is not)");
  }

  @Test
  void fromFile_ignoresTheTrailingNewline() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "abc123\n");

    assertThat(BearerToken.fromFile(file).matches("abc123")).isTrue();
  }

  @Test
  void fromFile_namesAMissingOrEmptyFile() throws IOException {
    Path missing = dir.resolve("missing");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");

    assertThatThrownBy(() -> BearerToken.fromFile(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bearer token file " + missing + " does not exist");
    assertThatThrownBy(() -> BearerToken.fromFile(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bearer token file " + empty + " is empty");
  }

  @Test
  void fromEnvironment_readsTheNamedVariable() {
    BearerToken token =
        BearerToken.fromEnvironment("AZMESH_STATUS_TOKEN", Map.of("AZMESH_STATUS_TOKEN", "t0k"));

    assertThat(token.matches("t0k")).isTrue();
  }

  @Test
  void fromEnvironment_namesAnUnsetVariable() {
    assertThatThrownBy(() -> BearerToken.fromEnvironment("AZMESH_STATUS_TOKEN", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "environment variable AZMESH_STATUS_TOKEN is not set or empty; it should hold the"
                + " token");
  }
}
