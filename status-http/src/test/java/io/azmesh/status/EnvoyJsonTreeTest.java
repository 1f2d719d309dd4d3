package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;

class EnvoyJsonTreeTest {

  private final EnvoyJsonTree json = new EnvoyJsonTree();

  @Test
  void render_usesProtoFieldNamesAndResolvesTypedConfig() {
    Listener listener = MeshFixtures.resources().listeners().get(0);

    assertThat(json.render(listener, Listener::getName).toString())
        .startsWith(
            "{\"name\":\"app\",\"api_listener\":{\"api_listener\":{\"@type\":"
                + "\"type.googleapis.com/envoy.extensions.filters.network"
                + ".http_connection_manager.v3.HttpConnectionManager\",\"stat_prefix\":\"app\"");
  }

  @Test
  void render_unknownTypedConfigNamesTheResource() {
    Listener listener =
        Listener.newBuilder()
            .setName("edge")
            .setApiListener(
                ApiListener.newBuilder()
                    .setApiListener(
                        Any.newBuilder()
                            .setTypeUrl("type.googleapis.com/example.Unknown")
                            .setValue(ByteString.copyFromUtf8("x"))))
            .build();

    assertThatThrownBy(() -> json.render(listener, Listener::getName))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot render Listener 'edge' as JSON: Cannot find type for url:"
                + " type.googleapis.com/example.Unknown");
  }
}
