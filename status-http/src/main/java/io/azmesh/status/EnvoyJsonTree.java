package io.azmesh.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.function.Function;

/**
 * Renders Envoy resources as JSON with proto field names, as Envoy prints them in {@code
 * /config_dump}, as Jackson trees so they can sit inside a larger response.
 */
final class EnvoyJsonTree {

  /**
   * Types that appear inside {@code Any} fields of what the translator builds. Adding one message
   * adds every type of its .proto file and of the files it imports.
   */
  private static final TypeRegistry TYPES =
      TypeRegistry.newBuilder()
          .add(Bootstrap.getDescriptor())
          .add(HttpConnectionManager.getDescriptor())
          .add(Router.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .add(UpstreamTlsContext.getDescriptor())
          .add(DownstreamTlsContext.getDescriptor())
          .build();

  private final JsonFormat.Printer printer =
      JsonFormat.printer()
          .usingTypeRegistry(TYPES)
          .preservingProtoFieldNames()
          .omittingInsignificantWhitespace();
  private final ObjectMapper mapper = new ObjectMapper();

  /** The JSON of {@code resource}; {@code name} says which resource failed, if one does. */
  <T extends Message> JsonNode render(T resource, Function<T, String> name) {
    try {
      return mapper.readTree(printer.print(resource));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot render "
              + resource.getDescriptorForType().getName()
              + " '"
              + name.apply(resource)
              + "' as JSON: "
              + e.getMessage(),
          e);
    }
  }
}
