package io.azmesh.discovery.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a file looks like right now: its SHA-256, or absent. Comparing content rather than the
 * modification time catches edits within the file system's time granularity and ignores touches.
 */
final class FileFingerprint {
  private static final FileFingerprint ABSENT = new FileFingerprint(new byte[0]);

  private final byte[] sha256;

  private FileFingerprint(byte[] sha256) {
    this.sha256 = sha256;
  }

  /** The fingerprint of {@code file}; a missing or unreadable file counts as absent. */
  static FileFingerprint of(Path file) {
    try {
      return new FileFingerprint(sha256(Files.readAllBytes(file)));
    } catch (IOException e) {
      // Missing or unreadable (mid-replace, permissions) both count as a change; discover() then
      // names the actual error.
      return ABSENT;
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileFingerprint other && Arrays.equals(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return this == ABSENT ? "absent" : "sha256:" + HexFormat.of().formatHex(sha256);
  }
}
