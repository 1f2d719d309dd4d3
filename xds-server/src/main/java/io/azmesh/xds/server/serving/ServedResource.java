package io.azmesh.xds.server.serving;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One resource as every client receives it: packed once, with a version that is the hash of its
 * bytes, so replicas and restarts give the same per-resource version and no two streams serialize
 * it again.
 */
final class ServedResource {
  private static final int VERSION_HEX_DIGITS = 16;

  private final String name;
  private final String version;
  private final Message message;
  private final Any any;
  private final Resource delta;

  private ServedResource(String name, String version, Message message, Any any) {
    this.name = name;
    this.version = version;
    this.message = message;
    this.any = any;
    // Strings set as UTF-8 bytes: protobuf re-encodes a String field on every serialization, and
    // a resource is serialized once per stream it is sent to.
    this.delta =
        Resource.newBuilder()
            .setNameBytes(ByteString.copyFromUtf8(name))
            .setVersionBytes(ByteString.copyFromUtf8(version))
            .setResource(any)
            .build();
  }

  /** Packs a resource; its version is the SHA-256 of its deterministic serialization. */
  static ServedResource pack(XdsType type, String name, Message message) {
    Objects.requireNonNull(name, "name");
    byte[] bytes = deterministicBytes(message);
    Any any =
        Any.newBuilder()
            .setTypeUrlBytes(type.typeUrlBytes())
            .setValue(ByteString.copyFrom(bytes))
            .build();
    return new ServedResource(name, sha256(bytes), message, any);
  }

  /** The same content as {@code previous}: the previous copy is kept and the new object noted. */
  ServedResource sameAs(Message next) {
    return next == message ? this : new ServedResource(name, version, next, any);
  }

  String name() {
    return name;
  }

  String version() {
    return version;
  }

  /** The message it was packed from, to recognise the same object on the next publish. */
  Message message() {
    return message;
  }

  Any any() {
    return any;
  }

  /** The resource as a delta response carries it. */
  Resource delta() {
    return delta;
  }

  private static byte[] deterministicBytes(Message message) {
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

  private static String sha256(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, VERSION_HEX_DIGITS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
