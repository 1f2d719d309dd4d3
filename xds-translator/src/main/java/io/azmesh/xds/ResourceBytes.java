package io.azmesh.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The deterministic serialization of resources, remembered by identity from one {@link
 * XdsResources#of} call to the next: a resource a translator reuses unchanged is not serialized
 * again to compute versions. Keeps only what the last call used. Not thread-safe.
 */
public final class ResourceBytes {
  private Map<Message, byte[]> previous = new IdentityHashMap<>();
  private Map<Message, byte[]> current = new IdentityHashMap<>();

  /** The bytes of {@code message}: protobuf's deterministic serialization. */
  byte[] of(Message message) {
    byte[] bytes = current.get(message);
    if (bytes == null) {
      bytes = previous.get(message);
      if (bytes == null) {
        bytes = serialize(message);
      }
      current.put(message, bytes);
    }
    return bytes;
  }

  /** Forgets what the finished call did not use. */
  void endRound() {
    previous = current;
    current = new IdentityHashMap<>();
  }

  private static byte[] serialize(Message message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(message.getSerializedSize());
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      // Map fields (e.g. Struct metadata) otherwise serialize in hash order.
      coded.useDeterministicSerialization();
      message.writeTo(coded);
      coded.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
