package io.azmesh.xds;

import com.google.protobuf.Message;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The SHA-256 of each resource's deterministic serialization, remembered by identity from one
 * {@link XdsResources#of} call to the next: a resource a translator reuses unchanged is neither
 * serialized nor hashed again, so a call costs hashing only the resources that are new objects.
 *
 * <p>Remembering by identity cannot change a result: protobuf messages are immutable, so an object
 * seen before has the content it had, and its digest is the one computing it again would give.
 * Keeps only what the last call used (32 bytes a resource). Not thread-safe.
 */
public final class ResourceDigests {
  private Map<Message, byte[]> previous = new IdentityHashMap<>();
  private Map<Message, byte[]> current = new IdentityHashMap<>();
  private int digesting;
  private int digestedInLastCall;

  /** SHA-256 of {@code message}'s deterministic serialization; 32 bytes, not to be modified. */
  byte[] of(Message message) {
    byte[] digest = current.get(message);
    if (digest == null) {
      digest = previous.get(message);
      if (digest == null) {
        digest = sha256().digest(DeterministicBytes.of(message));
        digesting++;
      }
      current.put(message, digest);
    }
    return digest;
  }

  /** Forgets what the finished call did not use. */
  void endRound() {
    previous = current;
    // Sized for as many resources as this call had, so the next call does not grow it step by step.
    current = new IdentityHashMap<>(previous.size());
    digestedInLastCall = digesting;
    digesting = 0;
  }

  /**
   * How many resources the last finished call serialized and hashed: those that were not the same
   * objects as in the call before. A test hook for the cost of a change, counted rather than timed.
   */
  public int digestedInLastCall() {
    return digestedInLastCall;
  }

  /** A new SHA-256 digest, which every Java platform has. */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
