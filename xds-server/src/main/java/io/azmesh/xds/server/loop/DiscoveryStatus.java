package io.azmesh.xds.server.loop;

import io.azmesh.discovery.Discovery;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of discovery as the control loop sees it.
 *
 * @param provider the provider's name
 * @param lastDiscovery the last successful discovery (instances and per-instance problems)
 * @param lastSuccess when discovery last succeeded
 * @param lastAttempt when discovery was last tried
 * @param consecutiveFailures failures since the last success
 * @param totalFailures failures since start
 * @param lastError the most recent failure, kept after a later success for reference
 * @param heldRemovals mass removals held back by the guard, waiting for confirmation
 * @param lastRejection the most recent snapshot that failed validation and was not published
 */
public record DiscoveryStatus(
    String provider,
    Optional<Discovery> lastDiscovery,
    Optional<Instant> lastSuccess,
    Optional<Instant> lastAttempt,
    int consecutiveFailures,
    long totalFailures,
    Optional<ProviderError> lastError,
    List<HeldRemoval> heldRemovals,
    Optional<Rejection> lastRejection) {

  public DiscoveryStatus {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(lastDiscovery, "lastDiscovery");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(lastRejection, "lastRejection");
    heldRemovals = List.copyOf(heldRemovals);
  }

  /** This status with other held removals. */
  DiscoveryStatus withHeldRemovals(List<HeldRemoval> held) {
    return new DiscoveryStatus(
        provider,
        lastDiscovery,
        lastSuccess,
        lastAttempt,
        consecutiveFailures,
        totalFailures,
        lastError,
        held,
        lastRejection);
  }

  /** This status with a newer rejection. */
  DiscoveryStatus withRejection(Rejection rejection) {
    return new DiscoveryStatus(
        provider,
        lastDiscovery,
        lastSuccess,
        lastAttempt,
        consecutiveFailures,
        totalFailures,
        lastError,
        heldRemovals,
        Optional.of(rejection));
  }

  /**
   * A failed discovery.
   *
   * @param cause a stable label for metrics, e.g. {@code throttled}
   * @param message the provider's message
   * @param at when it failed
   */
  public record ProviderError(String cause, String message, Instant at) {
    public ProviderError {
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A refresh that would remove too much of a service at once, held until confirmed.
   *
   * @param service the service
   * @param current serving endpoints now
   * @param proposed endpoints the refresh would leave
   * @param seen consecutive discoveries that proposed it
   * @param required discoveries needed before it is applied
   * @param since when a discovery first proposed it
   * @param notBefore the earliest time it can be applied, however often it is seen
   */
  public record HeldRemoval(
      String service,
      int current,
      int proposed,
      int seen,
      int required,
      Instant since,
      Instant notBefore) {
    public HeldRemoval {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(notBefore, "notBefore");
    }
  }

  /**
   * A snapshot that failed validation and was not published.
   *
   * @param at when
   * @param violations what was wrong, one line per violation, naming resource and field
   */
  public record Rejection(Instant at, List<String> violations) {
    public Rejection {
      Objects.requireNonNull(at, "at");
      violations = List.copyOf(violations);
    }
  }
}
