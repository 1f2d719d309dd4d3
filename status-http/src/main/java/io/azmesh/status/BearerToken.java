package io.azmesh.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;

/**
 * The secret a client must present as {@code Authorization: Bearer <token>}.
 *
 * <p>Compared in constant time; {@link #toString()} never shows the value, so the token cannot leak
 * through logs or exception messages.
 */
public final class BearerToken {

  private final byte[] secret;

  private BearerToken(String value) {
    this.secret = value.getBytes(StandardCharsets.UTF_8);
  }

  /** A token from its value; surrounding whitespace is ignored. */
  public static BearerToken of(String value) {
    Objects.requireNonNull(value, "value");
    String token = value.strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("bearer token must not be empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "bearer token must be printable ASCII without spaces (character "
                + (i + 1)
                + " is not)");
      }
    }
    return new BearerToken(token);
  }

  /** Reads a token file; a trailing newline, as editors and {@code echo} leave, is ignored. */
  public static BearerToken fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("bearer token file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bearer token file " + file, e);
    }
    if (content.isBlank()) {
      throw new IllegalArgumentException("bearer token file " + file + " is empty");
    }
    return of(content);
  }

  /**
   * Reads a token from the named variable of {@code environment} (pass {@code System.getenv()}).
   */
  public static BearerToken fromEnvironment(String variable, Map<String, String> environment) {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(environment, "environment");
    String value = environment.get(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "environment variable " + variable + " is not set or empty; it should hold the token");
    }
    return of(value);
  }

  /** Whether {@code presented} is this token, in time independent of where they differ. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
