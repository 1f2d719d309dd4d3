package io.azmesh.xds.bootstrap;

import io.azmesh.discovery.IpLiterals;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an Envoy needs to know to fetch everything else from the control plane over ADS.
 *
 * @param xdsHost control plane address: an IP literal (static cluster) or a DNS name (resolved by
 *     Envoy, re-resolved as the control plane moves)
 * @param xdsPort control plane gRPC port
 * @param nodeId this Envoy's node id, unique per Envoy; the control plane tracks ACKs by it
 * @param nodeCluster the node cluster, shared by Envoys that serve the same role
 * @param adminPort admin interface port, bound to 127.0.0.1 only
 * @param tls TLS towards the control plane; absent means plaintext
 * @param xdsApi delta (the default) or state-of-the-world ADS
 * @param limits the edge's heap and downstream connection limits
 */
public record AdsBootstrapOptions(
    String xdsHost,
    int xdsPort,
    String nodeId,
    String nodeCluster,
    int adminPort,
    Optional<XdsTls> tls,
    XdsApi xdsApi,
    EdgeLimits limits) {

  /** Default admin port, as in Envoy's own examples. */
  public static final int DEFAULT_ADMIN_PORT = 9901;

  /** Default node cluster name. */
  public static final String DEFAULT_NODE_CLUSTER = "azmesh-edge";

  private static final Pattern DOTTED_NUMBERS = Pattern.compile("^[0-9]+(\\.[0-9]+)+$");

  // RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$");

  public AdsBootstrapOptions {
    Objects.requireNonNull(xdsHost, "xdsHost");
    if (DOTTED_NUMBERS.matcher(xdsHost).matches() && !IpLiterals.isIpLiteral(xdsHost)) {
      // Would pass as a host name, then fail to resolve at Envoy start; say so now.
      throw new IllegalArgumentException("xdsHost is '" + xdsHost + "', not a valid IPv4 address");
    }
    if (!IpLiterals.isIpLiteral(xdsHost) && !HOST_NAME.matcher(xdsHost).matches()) {
      throw new IllegalArgumentException(
          "xdsHost is '" + xdsHost + "', not an IP address or a DNS name");
    }
    requirePort(xdsPort, "xdsPort");
    requireNodeName(nodeId, "nodeId");
    requireNodeName(nodeCluster, "nodeCluster");
    requirePort(adminPort, "adminPort");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(xdsApi, "xdsApi");
    Objects.requireNonNull(limits, "limits");
  }

  /** Starts options for one Envoy; everything but the address and node id has a default. */
  public static Builder builder(String xdsHost, int xdsPort, String nodeId) {
    return new Builder(xdsHost, xdsPort, nodeId);
  }

  /** Whether {@link #xdsHost} is an address Envoy can use as is, or a name it must resolve. */
  public boolean xdsHostIsIpLiteral() {
    return IpLiterals.isIpLiteral(xdsHost);
  }

  private static void requirePort(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          name + " is " + port + ", a port must be between 1 and 65535");
    }
  }

  private static void requireNodeName(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    if (!value.equals(value.strip()) || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          name + " is '" + value + "', it cannot contain control characters or edge whitespace");
    }
  }

  /** Builds {@link AdsBootstrapOptions}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final String xdsHost;
    private final int xdsPort;
    private final String nodeId;
    private String nodeCluster = DEFAULT_NODE_CLUSTER;
    private int adminPort = DEFAULT_ADMIN_PORT;
    private XdsTls tls;
    private XdsApi xdsApi = XdsApi.DELTA;
    private EdgeLimits limits = EdgeLimits.DEFAULT;

    private Builder(String xdsHost, int xdsPort, String nodeId) {
      this.xdsHost = xdsHost;
      this.xdsPort = xdsPort;
      this.nodeId = nodeId;
    }

    public Builder nodeCluster(String nodeCluster) {
      this.nodeCluster = nodeCluster;
      return this;
    }

    public Builder adminPort(int adminPort) {
      this.adminPort = adminPort;
      return this;
    }

    /** TLS towards the control plane, or {@code null} for plaintext. */
    public Builder tls(XdsTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder xdsApi(XdsApi xdsApi) {
      this.xdsApi = xdsApi;
      return this;
    }

    public Builder limits(EdgeLimits limits) {
      this.limits = limits;
      return this;
    }

    public AdsBootstrapOptions build() {
      return new AdsBootstrapOptions(
          xdsHost,
          xdsPort,
          nodeId,
          nodeCluster,
          adminPort,
          Optional.ofNullable(tls),
          xdsApi,
          limits);
    }
  }
}
