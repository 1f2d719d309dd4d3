package io.azmesh.xds.translator;

import java.time.Duration;
import java.util.Locale;

/**
 * How the mesh treats one service. Unset values take the documented defaults.
 *
 * @param port the port instances serve on, unless their {@code mesh-port} tag says otherwise
 * @param protocol http, http2, grpc or tcp
 * @param address which instance address is published: private or public
 * @param lbPolicy round_robin, least_request, ring_hash or random
 * @param connectTimeout upstream connect timeout
 * @param requestTimeout whole-request timeout on routes to the service; zero disables it
 * @param retries route retry policy
 * @param healthCheck active health checking
 * @param outlierDetection passive ejection of failing endpoints
 * @param circuitBreakers limits on concurrent connections and requests
 * @param proxyless whether the service is offered to proxyless gRPC clients as an API listener
 */
public record ServicePolicy(
    Integer port,
    Protocol protocol,
    AddressChoice address,
    LbPolicy lbPolicy,
    Duration connectTimeout,
    Duration requestTimeout,
    RetryPolicy retries,
    HealthCheck healthCheck,
    OutlierDetection outlierDetection,
    CircuitBreakers circuitBreakers,
    Proxyless proxyless) {

  /** Every value at its default: port 80, http, private address, round robin. */
  public static final ServicePolicy DEFAULT = builder().build();

  public ServicePolicy {
    port = port == null ? 80 : port;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port is " + port + ", must be in 1..65535");
    }
    protocol = protocol == null ? Protocol.HTTP : protocol;
    address = address == null ? AddressChoice.PRIVATE : address;
    lbPolicy = lbPolicy == null ? LbPolicy.ROUND_ROBIN : lbPolicy;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    Durations.requirePositive(connectTimeout, "connect_timeout");
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(15) : requestTimeout;
    Durations.requireNotNegative(requestTimeout, "request_timeout");
    retries = retries == null ? RetryPolicy.DEFAULT : retries;
    healthCheck = healthCheck == null ? HealthCheck.NONE : healthCheck;
    // Off unless configured: grpc-java 1.85.1's outlier detection can hang calls to endpoints
    // removed under churn (docs/xds-server.md), and zero dropped requests comes first.
    outlierDetection = outlierDetection == null ? OutlierDetection.OFF : outlierDetection;
    circuitBreakers = circuitBreakers == null ? CircuitBreakers.DEFAULT : circuitBreakers;
    proxyless = proxyless == null ? Proxyless.ENABLED : proxyless;
    if (proxyless == Proxyless.ENABLED && lbPolicy == LbPolicy.RANDOM) {
      throw new IllegalArgumentException(
          "lb_policy random is not supported by proxyless gRPC clients; set proxyless: disabled");
    }
    if (protocol == Protocol.TCP && healthCheck.kind() == HealthCheck.Kind.HTTP) {
      throw new IllegalArgumentException("health_check kind http needs an HTTP protocol, not tcp");
    }
    if (!protocol.usesHttp2() && healthCheck.kind() == HealthCheck.Kind.GRPC) {
      throw new IllegalArgumentException(
          "health_check kind grpc needs protocol grpc or http2, not "
              + protocol.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Whether proxyless gRPC clients get an API listener for the service. */
  public boolean offeredToProxylessClients() {
    return proxyless == Proxyless.ENABLED && protocol.isHttp();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .port(port)
        .protocol(protocol)
        .address(address)
        .lbPolicy(lbPolicy)
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .retries(retries)
        .healthCheck(healthCheck)
        .outlierDetection(outlierDetection)
        .circuitBreakers(circuitBreakers)
        .proxyless(proxyless);
  }

  /** Builds a {@link ServicePolicy}; anything not set takes its default. */
  public static final class Builder {
    private Integer port;
    private Protocol protocol;
    private AddressChoice address;
    private LbPolicy lbPolicy;
    private Duration connectTimeout;
    private Duration requestTimeout;
    private RetryPolicy retries;
    private HealthCheck healthCheck;
    private OutlierDetection outlierDetection;
    private CircuitBreakers circuitBreakers;
    private Proxyless proxyless;

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder protocol(Protocol protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder address(AddressChoice address) {
      this.address = address;
      return this;
    }

    public Builder lbPolicy(LbPolicy lbPolicy) {
      this.lbPolicy = lbPolicy;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder retries(RetryPolicy retries) {
      this.retries = retries;
      return this;
    }

    public Builder healthCheck(HealthCheck healthCheck) {
      this.healthCheck = healthCheck;
      return this;
    }

    public Builder outlierDetection(OutlierDetection outlierDetection) {
      this.outlierDetection = outlierDetection;
      return this;
    }

    public Builder circuitBreakers(CircuitBreakers circuitBreakers) {
      this.circuitBreakers = circuitBreakers;
      return this;
    }

    public Builder proxyless(Proxyless proxyless) {
      this.proxyless = proxyless;
      return this;
    }

    public ServicePolicy build() {
      return new ServicePolicy(
          port,
          protocol,
          address,
          lbPolicy,
          connectTimeout,
          requestTimeout,
          retries,
          healthCheck,
          outlierDetection,
          circuitBreakers,
          proxyless);
    }
  }
}
