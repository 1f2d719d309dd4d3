package io.azmesh.discovery;

import java.util.regex.Pattern;

/** Checks IP address literals without ever resolving a name. */
public final class IpLiterals {
  private static final Pattern IPV4 =
      Pattern.compile(
          "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

  private IpLiterals() {}

  /** True for a dotted-quad IPv4 or a textual IPv6 address; false for host names and garbage. */
  public static boolean isIpLiteral(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (IPV4.matcher(value).matches()) {
      return true;
    }
    if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
      return false;
    }
    try {
      // A string of hex digits, colons and dots is parsed as a literal: no DNS lookup happens.
      // An IPv4-mapped literal such as ::ffff:1.2.3.4 comes back as an Inet4Address: still valid.
      java.net.InetAddress.getByName(value);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
