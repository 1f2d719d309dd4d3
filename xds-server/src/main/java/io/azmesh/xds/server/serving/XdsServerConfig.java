package io.azmesh.xds.server.serving;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the xDS server listens.
 *
 * @param bindAddress the address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port, 0 for any free one
 * @param keepalive keepalive for long-lived streams
 * @param tls TLS or mTLS; empty means plaintext, the default inside a private VNet
 * @param shutdownGrace how long stop waits for streams to end before cancelling them
 * @param nodeRetention how long a disconnected node stays in the status
 * @param staleAfter how long a stream may stay STALE before a {@code proxy-stale} event says so
 * @param closedStreamLimit how many closed streams' statuses are kept at most (each for {@code
 *     nodeRetention}); beyond it the oldest are forgotten first, so a reconnect storm cannot grow
 *     the status without bound
 */
public record XdsServerConfig(
    String bindAddress,
    int port,
    KeepaliveConfig keepalive,
    Optional<TlsConfig> tls,
    Duration shutdownGrace,
    Duration nodeRetention,
    Duration staleAfter,
    int closedStreamLimit) {

  /** The default xDS port. */
  public static final int DEFAULT_PORT = 18000;

  public XdsServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) {
      throw new IllegalArgumentException("bindAddress must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port (" + port + ") must be in 0..65535");
    }
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException(
          "shutdownGrace (" + shutdownGrace + ") must not be negative");
    }
    Objects.requireNonNull(nodeRetention, "nodeRetention");
    if (nodeRetention.isNegative()) {
      throw new IllegalArgumentException(
          "nodeRetention (" + nodeRetention + ") must not be negative");
    }
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("staleAfter (" + staleAfter + ") must be positive");
    }
    if (closedStreamLimit < 0) {
      throw new IllegalArgumentException(
          "closedStreamLimit (" + closedStreamLimit + ") must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link XdsServerConfig}: plaintext on 0.0.0.0:18000 by default. */
  public static final class Builder {
    private String bindAddress = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private KeepaliveConfig keepalive = KeepaliveConfig.defaults();
    private TlsConfig tls;
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private Duration nodeRetention = Duration.ofMinutes(5);
    private Duration staleAfter = Duration.ofSeconds(30);
    private int closedStreamLimit = 1_000;

    private Builder() {}

    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder keepalive(KeepaliveConfig keepalive) {
      this.keepalive = keepalive;
      return this;
    }

    /** TLS or mTLS; null for plaintext. */
    public Builder tls(TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    public Builder nodeRetention(Duration nodeRetention) {
      this.nodeRetention = nodeRetention;
      return this;
    }

    public Builder staleAfter(Duration staleAfter) {
      this.staleAfter = staleAfter;
      return this;
    }

    public Builder closedStreamLimit(int closedStreamLimit) {
      this.closedStreamLimit = closedStreamLimit;
      return this;
    }

    public XdsServerConfig build() {
      return new XdsServerConfig(
          bindAddress,
          port,
          keepalive,
          Optional.ofNullable(tls),
          shutdownGrace,
          nodeRetention,
          staleAfter,
          closedStreamLimit);
    }
  }
}
