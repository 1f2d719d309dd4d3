package io.azmesh.xds.bootstrap;

import java.util.Objects;
import java.util.Optional;

/**
 * TLS towards the control plane: the CA that signs the control plane's certificate, and for mutual
 * TLS the certificate and key Envoy presents. Paths are on the Envoy host, so they stay strings and
 * are never resolved here.
 *
 * @param caFile PEM bundle that verifies the control plane's certificate
 * @param client certificate chain and private key for mutual TLS, if the control plane asks
 */
public record XdsTls(String caFile, Optional<ClientCertificate> client) {

  public XdsTls {
    requireFilePath(caFile, "caFile");
    Objects.requireNonNull(client, "client");
  }

  /** Envoy verifies the control plane; the control plane does not verify Envoy. */
  public static XdsTls verifyServer(String caFile) {
    return new XdsTls(caFile, Optional.empty());
  }

  /** Both sides verify each other. */
  public static XdsTls mutual(String caFile, String certFile, String keyFile) {
    return new XdsTls(caFile, Optional.of(new ClientCertificate(certFile, keyFile)));
  }

  /** The certificate chain and private key Envoy presents to the control plane. */
  public record ClientCertificate(String certFile, String keyFile) {

    public ClientCertificate {
      requireFilePath(certFile, "certFile");
      requireFilePath(keyFile, "keyFile");
    }
  }

  private static void requireFilePath(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is empty, it must be a file path");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          name + " is '" + escaped(value) + "', a file path cannot contain control characters");
    }
  }

  // Shows control characters in a message instead of letting them break the line.
  private static String escaped(String value) {
    StringBuilder out = new StringBuilder();
    value
        .chars()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                  if (Character.isISOControl(c)) {
                    out.append(String.format("\\u%04x", c));
                  } else {
                    out.append((char) c);
                  }
                }
              }
            });
    return out.toString();
  }
}
