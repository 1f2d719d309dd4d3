package io.azmesh.xds.translator;

/** Routes a gateway adds for services that no explicit route names. */
public enum AutoRoutes {
  /** None: only the explicit routes and the default service. */
  NONE,
  /**
   * {@code /<service>/} is routed to each such HTTP service, with the prefix rewritten to {@code
   * /}.
   */
  SERVICE_PREFIX
}
