package io.azmesh.xds.server.serving;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the xDS server: its certificate and key, and optionally a CA that client certificates
 * must chain to (mutual TLS).
 *
 * @param certificateChain PEM file with the server certificate chain
 * @param privateKey PEM file with the server's PKCS#8 private key
 * @param clientCa PEM file of CAs for client certificates; present means clients must present one
 */
public record TlsConfig(Path certificateChain, Path privateKey, Optional<Path> clientCa) {
  public TlsConfig {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
  }

  /** Server TLS; clients are not asked for certificates. */
  public static TlsConfig serverOnly(Path certificateChain, Path privateKey) {
    return new TlsConfig(certificateChain, privateKey, Optional.empty());
  }

  /** Mutual TLS: clients must present a certificate signed by {@code clientCa}. */
  public static TlsConfig mutual(Path certificateChain, Path privateKey, Path clientCa) {
    return new TlsConfig(certificateChain, privateKey, Optional.of(clientCa));
  }
}
