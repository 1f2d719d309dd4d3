package io.azmesh.xds.translator;

/** What happens to a service named by a tag but not listed under {@code services}. */
public enum UnlistedServices {
  /** It becomes a service with the {@code service_defaults} settings. */
  ADOPT,
  /** The instance is left out of it, with a problem naming the tag and value. */
  REJECT
}
