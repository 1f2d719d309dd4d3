package io.azmesh.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The bytes every version is a hash of: one serialization per content, whatever the object. */
public final class DeterministicBytes {
  private DeterministicBytes() {}

  /** Protobuf's deterministic serialization of {@code message}. */
  public static byte[] of(Message message) {
    try {
      byte[] bytes = new byte[message.getSerializedSize()];
      CodedOutputStream coded = CodedOutputStream.newInstance(bytes);
      // Map fields (Struct metadata) would otherwise serialize in hash order.
      coded.useDeterministicSerialization();
      message.writeTo(coded);
      coded.checkNoSpaceLeft();
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
