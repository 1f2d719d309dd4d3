package io.azmesh.cli;

import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code HOST:PORT} option value; an IPv6 host is written in brackets: {@code [fd00::1]:18000}.
 */
record HostPort(String host, int port) {

  HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }
  }

  /** Parses {@code host:port}; the message quotes the value and says what was expected. */
  static HostPort parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "'" + value + "' is not HOST:PORT, e.g. 10.0.0.10:18000 or [fd00::10]:18000");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "'" + value + "' has an IPv6 host without brackets; write [" + host + "]:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + value + "' has port '" + value.substring(colon + 1) + "', not a number", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "'" + value + "' has port " + port + ", not between 1 and 65535");
    }
    return new HostPort(host, port);
  }

  /** Lets picocli parse HOST:PORT options, turning a bad value into a usage error. */
  static final class Converter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
