package io.azmesh.xds.bootstrap;

import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;

/**
 * Which ADS protocol variant Envoy speaks to the control plane. Envoy supports both for every
 * resource type; the control plane serves both on the same port.
 */
public enum XdsApi {
  /**
   * Incremental xDS: a response carries only the resources that changed, and a reconnecting Envoy
   * names the versions it already holds, so a change or a failover costs what changed, not the
   * whole set. The default.
   */
  DELTA(ApiConfigSource.ApiType.DELTA_GRPC),

  /** State of the world: each Listener and Cluster response carries the whole set. */
  SOTW(ApiConfigSource.ApiType.GRPC);

  private final ApiConfigSource.ApiType apiType;

  XdsApi(ApiConfigSource.ApiType apiType) {
    this.apiType = apiType;
  }

  /** The {@code ads_config.api_type} Envoy's bootstrap names this variant by. */
  public ApiConfigSource.ApiType apiType() {
    return apiType;
  }
}
