package io.azmesh.xds.translator;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every message type the translator emits or packs into an {@code Any}. */
final class EnvoyTypes {
  private static final List<Message> TYPES =
      List.of(
          Cluster.getDefaultInstance(),
          ClusterLoadAssignment.getDefaultInstance(),
          Listener.getDefaultInstance(),
          RouteConfiguration.getDefaultInstance(),
          HttpConnectionManager.getDefaultInstance(),
          Router.getDefaultInstance(),
          StdoutAccessLog.getDefaultInstance(),
          HttpProtocolOptions.getDefaultInstance(),
          Bootstrap.getDefaultInstance());

  private static final Map<String, Message> BY_NAME =
      TYPES.stream()
          .collect(
              Collectors.toUnmodifiableMap(
                  m -> m.getDescriptorForType().getFullName(), Function.identity()));

  /** For JSON: resolves the {@code @type} of every packed config. */
  static final JsonFormat.TypeRegistry REGISTRY =
      JsonFormat.TypeRegistry.newBuilder()
          .add(TYPES.stream().map(Message::getDescriptorForType).toList())
          .build();

  private EnvoyTypes() {}

  /** The packed message, or empty when its type is not one the translator knows. */
  static Optional<Message> unpack(Any any) throws InvalidProtocolBufferException {
    String url = any.getTypeUrl();
    Message prototype = BY_NAME.get(url.substring(url.lastIndexOf('/') + 1));
    if (prototype == null) {
      return Optional.empty();
    }
    return Optional.of(prototype.getParserForType().parseFrom(any.getValue()));
  }
}
