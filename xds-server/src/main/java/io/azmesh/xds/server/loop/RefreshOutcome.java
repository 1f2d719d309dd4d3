package io.azmesh.xds.server.loop;

/** What one refresh of the control loop did. */
public enum RefreshOutcome {
  /** New content was published. */
  PUBLISHED,
  /** Discovery succeeded and the content is what is already served; nothing was sent. */
  UNCHANGED,
  /** The provider failed; the last good snapshot stays in force. */
  PROVIDER_FAILED,
  /** The translation failed validation; it was not published and the last good one stays. */
  REJECTED
}
