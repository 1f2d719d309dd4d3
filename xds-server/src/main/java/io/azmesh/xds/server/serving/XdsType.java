package io.azmesh.xds.server.serving;

import com.google.protobuf.ByteString;
import java.util.Optional;

/** The resource types served, with how state-of-the-world responses must carry them. */
public enum XdsType {
  CLUSTERS("type.googleapis.com/envoy.config.cluster.v3.Cluster", "clusters", Responses.WHOLE_SET),
  ENDPOINTS(
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "endpoints",
      Responses.CHANGED_ONLY),
  LISTENERS(
      "type.googleapis.com/envoy.config.listener.v3.Listener", "listeners", Responses.WHOLE_SET),
  ROUTES(
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
      "routes",
      Responses.CHANGED_ONLY);

  /**
   * What a state-of-the-world response of a type holds. The xDS protocol makes a Listener or
   * Cluster response the whole set (a name left out is deleted); any other type may carry just the
   * resources that changed, which is what keeps an endpoint change small for every client.
   */
  enum Responses {
    WHOLE_SET,
    CHANGED_ONLY
  }

  /** The types a Listener or RouteConfiguration refers to, made before what refers to them. */
  static final java.util.List<XdsType> CLUSTER_TYPES = java.util.List.of(CLUSTERS, ENDPOINTS);

  private final String typeUrl;
  private final ByteString typeUrlBytes;
  private final String label;
  private final Responses responses;

  XdsType(String typeUrl, String label, Responses responses) {
    this.typeUrl = typeUrl;
    this.typeUrlBytes = ByteString.copyFromUtf8(typeUrl);
    this.label = label;
    this.responses = responses;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /** The type URL as UTF-8, encoded once for every resource packed. */
  ByteString typeUrlBytes() {
    return typeUrlBytes;
  }

  /** The name metrics and status use: clusters, endpoints, listeners, routes. */
  public String label() {
    return label;
  }

  boolean wholeSet() {
    return responses == Responses.WHOLE_SET;
  }

  /** Whether resources of this type name clusters: Listeners (API listeners) and routes. */
  boolean refersToClusters() {
    return this == LISTENERS || this == ROUTES;
  }

  /**
   * The type whose resources a resource of this one refers to and waits for when it changes
   * ("resource warming"): a Cluster's assignment, a Listener's route configuration.
   */
  Optional<XdsType> dependent() {
    return switch (this) {
      case CLUSTERS -> Optional.of(ENDPOINTS);
      case LISTENERS -> Optional.of(ROUTES);
      default -> Optional.empty();
    };
  }

  /** The type of a URL a client sent; empty for a type this server does not serve. */
  public static Optional<XdsType> of(String typeUrl) {
    for (XdsType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
