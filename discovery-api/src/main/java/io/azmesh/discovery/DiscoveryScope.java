package io.azmesh.discovery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one scope of a discovery fared: a subscription, resource group or scale set of Azure, an
 * inventory file. A scope that failed or was throttled keeps its last good instances in the
 * discovery (fail-static per scope) while the other scopes go on.
 *
 * @param scope the scope as a person names it, e.g. {@code subscription 0000-…} or {@code resource
 *     group rg-app of subscription 0000-…}
 * @param health whether this discovery listed it, or kept its last good instances
 * @param instances how many instances of the discovery come from this scope
 * @param lastSuccess when it was last listed successfully; empty if never
 * @param cause the failure's stable label ({@code throttled}, {@code forbidden}, …) when not OK
 * @param message what failed, with the service's request ids, when not OK
 */
public record DiscoveryScope(
    String scope,
    Health health,
    int instances,
    Optional<Instant> lastSuccess,
    Optional<String> cause,
    Optional<String> message) {

  /** Whether a scope was listed by this discovery. */
  public enum Health {
    /** Listed now. */
    OK,
    /** Its listing failed; its last good instances, if any, are kept. */
    FAILED,
    /** Throttled, now or by a Retry-After still running; its last good instances are kept. */
    THROTTLED
  }

  public DiscoveryScope {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(message, "message");
    if (instances < 0) {
      throw new IllegalArgumentException("instances (" + instances + ") must not be negative");
    }
    if (health != Health.OK && (cause.isEmpty() || message.isEmpty())) {
      throw new IllegalArgumentException("scope " + scope + " is " + health + " with no cause");
    }
  }

  /** A scope listed now. */
  public static DiscoveryScope ok(String scope, int instances, Instant at) {
    return new DiscoveryScope(
        scope, Health.OK, instances, Optional.of(at), Optional.empty(), Optional.empty());
  }

  /**
   * A scope that failed now and keeps the {@code kept} instances of its last good listing, made at
   * {@code lastSuccess} (empty if it never succeeded).
   */
  public static DiscoveryScope failed(
      String scope, String cause, String message, int kept, Optional<Instant> lastSuccess) {
    return new DiscoveryScope(
        scope,
        cause.equals("throttled") ? Health.THROTTLED : Health.FAILED,
        kept,
        lastSuccess,
        Optional.of(cause),
        Optional.of(message));
  }

  /** The Problem that names this scope, when it is not OK. */
  public Optional<Problem> problem() {
    if (health == Health.OK) {
      return Optional.empty();
    }
    String kept =
        lastSuccess
            .map(at -> "its " + instances + " instances listed at " + at + " are kept")
            .orElse("it was never listed, so it has no instances to keep");
    return Optional.of(
        Problem.missing(
            scope, "listing", cause.orElseThrow() + ": " + message.orElseThrow() + "; " + kept));
  }
}
