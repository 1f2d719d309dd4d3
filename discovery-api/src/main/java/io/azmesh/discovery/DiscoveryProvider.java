package io.azmesh.discovery;

/**
 * A source of instances: a file, Azure, or anything else registered through {@link
 * DiscoveryProviderFactory}.
 *
 * <p>{@link #discover()} is called from one thread at a time. It either returns a complete {@link
 * Discovery} (per-instance problems inside it) or throws: a partial world is never returned, so the
 * caller can keep the last good one.
 */
public interface DiscoveryProvider extends AutoCloseable {

  /** The provider's registered name, such as {@code file} or {@code azure}. */
  String name();

  /** Discovers the current instances. */
  Discovery discover() throws DiscoveryException;

  /**
   * Asks to be told when the source may have changed, so the caller can refresh at once instead of
   * at its next poll. Signals may be spurious or coalesced. Providers that cannot tell return a
   * no-op handle; the caller still polls.
   *
   * @return a handle that stops the signals when closed
   */
  default ChangeSubscription onChange(Runnable listener) {
    return ChangeSubscription.NONE;
  }

  /**
   * Told after a discovery this provider returned was applied: published, or found to change
   * nothing served. A provider that holds work until then (a change queue deletes the messages that
   * caused the refresh) finishes it here. Not called for a discovery that was rejected.
   */
  default void applied(Discovery discovery) {}

  /** The state of the provider's change feed, when it reads one. */
  default java.util.Optional<ChangeFeedStatus> changeFeed() {
    return java.util.Optional.empty();
  }

  /** Releases threads, watchers and clients. */
  @Override
  default void close() {}

  /** A registration for change signals. */
  interface ChangeSubscription extends AutoCloseable {
    ChangeSubscription NONE = () -> {};

    @Override
    void close();
  }
}
