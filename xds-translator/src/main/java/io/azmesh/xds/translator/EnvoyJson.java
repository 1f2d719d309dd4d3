package io.azmesh.xds.translator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.azmesh.xds.XdsResources;
import java.util.List;

/**
 * Envoy's JSON form of resources, with proto field names and {@code @type} on every packed config,
 * as {@code meshctl render} prints them.
 */
public final class EnvoyJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(EnvoyTypes.REGISTRY).preservingProtoFieldNames();
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EnvoyJson() {}

  /** One message as JSON. */
  public static String message(MessageOrBuilder message) {
    return write(tree(message));
  }

  /** Resources as a JSON array, each with its {@code @type}, as in a DiscoveryResponse. */
  public static String resources(List<? extends com.google.protobuf.Message> resources) {
    return write(array(resources));
  }

  /**
   * All resources with their versions: {@code {"clusters": {"version": ..., "resources": [...]},
   * "endpoints": ..., "listeners": ..., "routes": ...}}.
   */
  public static String xds(XdsResources resources) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("clusters", typed(resources.versions().clusters(), resources.clusters()));
    root.set("endpoints", typed(resources.versions().endpoints(), resources.endpoints()));
    root.set("listeners", typed(resources.versions().listeners(), resources.listeners()));
    root.set("routes", typed(resources.versions().routes(), resources.routes()));
    return write(root);
  }

  /** A complete static Envoy bootstrap serving {@code resources} without a control plane. */
  public static String bootstrap(XdsResources resources) {
    return message(StaticBootstrap.of(resources));
  }

  private static ObjectNode typed(
      String version, List<? extends com.google.protobuf.Message> resources) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("version", version);
    node.set("resources", array(resources));
    return node;
  }

  private static ArrayNode array(List<? extends com.google.protobuf.Message> resources) {
    ArrayNode array = MAPPER.createArrayNode();
    resources.forEach(r -> array.add(tree(Any.pack(r))));
    return array;
  }

  private static JsonNode tree(MessageOrBuilder message) {
    try {
      return MAPPER.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "cannot print "
              + message.getDescriptorForType().getFullName()
              + " as JSON: "
              + e.getMessage(),
          e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("protobuf printed JSON that Jackson cannot read", e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node).replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }
}
