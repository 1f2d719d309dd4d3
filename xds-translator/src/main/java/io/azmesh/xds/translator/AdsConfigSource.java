package io.azmesh.xds.translator;

import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;

/** The one config source every resource refers to: the ADS stream the resource came on. */
final class AdsConfigSource {
  /** {@code ads: {}} with {@code resource_api_version: V3}, which grpc-java requires. */
  static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  private AdsConfigSource() {}
}
