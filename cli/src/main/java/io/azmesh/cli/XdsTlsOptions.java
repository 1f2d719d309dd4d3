package io.azmesh.cli;

import io.azmesh.xds.server.serving.TlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * TLS of serve's xDS server: none (plaintext, for a control plane reachable only inside a private
 * VNet), server TLS, or mutual TLS.
 */
public final class XdsTlsOptions {
  private static final String CERT = "--xds-tls-cert";
  private static final String KEY = "--xds-tls-key";
  private static final String CLIENT_CA = "--xds-tls-client-ca";

  @Option(
      names = CERT,
      paramLabel = "PATH",
      description = "Serve xDS over TLS with this PEM certificate chain; needs " + KEY + ".")
  Path certificateChain;

  @Option(
      names = KEY,
      paramLabel = "PATH",
      description = "The PKCS#8 PEM private key of " + CERT + ".")
  Path privateKey;

  @Option(
      names = CLIENT_CA,
      paramLabel = "PATH",
      description =
          "Mutual TLS: xDS clients must present a certificate signed by a CA in this PEM file;"
              + " needs "
              + CERT
              + " and "
              + KEY
              + ".")
  Path clientCa;

  /**
   * The TLS configuration, empty for plaintext. Flags that do not go together are a usage error, a
   * missing file too; a file that exists but cannot be read is a runtime failure. Both name the
   * flag and the path, which the xDS server's own message could not.
   */
  Optional<TlsConfig> tls(CommandLine commandLine) {
    if ((certificateChain == null) != (privateKey == null)) {
      throw new ParameterException(
          commandLine, CERT + " and " + KEY + " go together; give both or neither");
    }
    if (certificateChain == null) {
      if (clientCa != null) {
        throw new ParameterException(
            commandLine, CLIENT_CA + " needs " + CERT + " and " + KEY + " (mutual TLS is TLS too)");
      }
      return Optional.empty();
    }
    requireReadable(commandLine, CERT, certificateChain);
    requireReadable(commandLine, KEY, privateKey);
    if (clientCa == null) {
      return Optional.of(TlsConfig.serverOnly(certificateChain, privateKey));
    }
    requireReadable(commandLine, CLIENT_CA, clientCa);
    return Optional.of(TlsConfig.mutual(certificateChain, privateKey, clientCa));
  }

  private static void requireReadable(CommandLine commandLine, String flag, Path path) {
    try {
      Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ParameterException(commandLine, flag + " " + path + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read " + flag + " " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + flag + " " + path, e);
    }
  }
}
