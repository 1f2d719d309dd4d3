package io.azmesh.xds.server.serving;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.azmesh.xds.DeterministicBytes;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
  private final boolean inWildcard;
  private final List<String> warms;

  private ServedResource(
      String name,
      String version,
      Message message,
      Any any,
      boolean inWildcard,
      List<String> warms) {
    this.name = name;
    this.version = version;
    this.message = message;
    this.any = any;
    this.inWildcard = inWildcard;
    this.warms = warms;
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
    byte[] bytes = DeterministicBytes.of(message);
    Any any =
        Any.newBuilder()
            .setTypeUrlBytes(type.typeUrlBytes())
            .setValue(ByteString.copyFrom(bytes))
            .build();
    return new ServedResource(
        name, sha256(bytes), message, any, !isApiListener(message), warms(message));
  }

  /**
   * Envoy takes an API listener only from its bootstrap (and warns about each one LDS sends it), so
   * API listeners go only to clients that name them, never to a wildcard subscription.
   */
  private static boolean isApiListener(Message message) {
    return message instanceof Listener listener && listener.hasApiListener();
  }

  /** The names of what an update of this resource makes the client ask for again: see warms(). */
  private static List<String> warms(Message message) {
    if (message instanceof Cluster cluster) {
      if (cluster.getType() != Cluster.DiscoveryType.EDS) {
        return List.of();
      }
      String service = cluster.getEdsClusterConfig().getServiceName();
      return List.of(service.isEmpty() ? cluster.getName() : service);
    }
    if (message instanceof Listener listener) {
      Set<String> routes = new TreeSet<>();
      for (FilterChain chain : listener.getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          routeName(filter.getTypedConfig()).ifPresent(routes::add);
        }
      }
      if (listener.hasApiListener()) {
        routeName(listener.getApiListener().getApiListener()).ifPresent(routes::add);
      }
      return List.copyOf(routes);
    }
    return List.of();
  }

  private static Optional<String> routeName(Any config) {
    if (!config.is(HttpConnectionManager.class)) {
      return Optional.empty();
    }
    try {
      HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
      return hcm.hasRds() ? Optional.of(hcm.getRds().getRouteConfigName()) : Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      // Validated before it was published; a config that does not parse refers to nothing.
      return Optional.empty();
    }
  }

  /** The same content as {@code previous}: the previous copy is kept and the new object noted. */
  ServedResource sameAs(Message next) {
    return next == message ? this : new ServedResource(name, version, next, any, inWildcard, warms);
  }

  /** Whether a wildcard subscription to its type includes it: all but API listeners. */
  boolean inWildcard() {
    return inWildcard;
  }

  /**
   * The resources of the dependent type this one refers to ({@link XdsType#dependent()}): an EDS
   * Cluster's assignment, a Listener's RDS route configurations. After an update of this resource
   * the client warms it until it has them.
   */
  List<String> warms() {
    return warms;
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

  /** A version for content that is not one resource: the same hash, of its UTF-8 bytes. */
  static String versionOf(String content) {
    return sha256(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
