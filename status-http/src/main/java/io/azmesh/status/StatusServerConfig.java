package io.azmesh.status;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the status server listens and whether it asks for a token.
 *
 * @param bindAddress the address to bind, {@code 127.0.0.1} by default so nothing is exposed unless
 *     asked for
 * @param port the TCP port, 8080 by default; 0 picks a free one (tests)
 * @param token when present, required on {@code /api/*} and {@code /metrics}
 */
public record StatusServerConfig(String bindAddress, int port, Optional<BearerToken> token) {

  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public StatusServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) {
      throw new IllegalArgumentException("bindAddress must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port (" + port + ") must be in 0..65535");
    }
    Objects.requireNonNull(token, "token");
  }

  /** 127.0.0.1:8080 without a token. */
  public static StatusServerConfig defaults() {
    return new StatusServerConfig(DEFAULT_BIND_ADDRESS, DEFAULT_PORT, Optional.empty());
  }

  /** This configuration on another address. */
  public StatusServerConfig withBindAddress(String address) {
    return new StatusServerConfig(address, port, token);
  }

  /** This configuration on another port. */
  public StatusServerConfig withPort(int newPort) {
    return new StatusServerConfig(bindAddress, newPort, token);
  }

  /** This configuration requiring {@code bearer} on the API and metrics. */
  public StatusServerConfig withToken(BearerToken bearer) {
    return new StatusServerConfig(bindAddress, port, Optional.of(bearer));
  }
}
