package io.azmesh.status;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryScope;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.DiscoveryStatus;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/problems}: why something is missing or stale: discovery problems, instances the
 * latest discovery's translation left out (current even when no new snapshot was published), the
 * last provider error, held mass removals and the last rejected snapshot.
 *
 * @param provider the discovery provider's name
 * @param lastSuccess when discovery last succeeded, null before the first success
 * @param lastAttempt when discovery was last tried, null before the first attempt
 * @param lastError the most recent provider failure, null if none since start
 * @param problems discovery problems first, then those of the translation of the latest discovery
 * @param lastRejection the most recent snapshot that failed validation, null if none
 * @param scopes how each scope of the latest discovery fared (providers with several scopes)
 * @param changeFeed the provider's change feed (an Azure change queue), null when it reads none
 */
public record ProblemsView(
    String provider,
    Instant lastSuccess,
    Instant lastAttempt,
    int consecutiveFailures,
    long totalFailures,
    ProviderError lastError,
    List<ProblemEntry> problems,
    List<HeldRemoval> heldRemovals,
    Rejection lastRejection,
    List<ScopeEntry> scopes,
    ChangeFeed changeFeed) {

  public ProblemsView {
    problems = List.copyOf(problems);
    heldRemovals = List.copyOf(heldRemovals);
    scopes = List.copyOf(scopes);
  }

  /**
   * One scope of the latest discovery.
   *
   * @param health {@code ok}, {@code failed} or {@code throttled}; a scope not ok keeps its last
   *     good instances
   * @param instances instances of the discovery from this scope (kept ones when not ok)
   * @param lastSuccess when it was last listed, null if never
   * @param cause the failure's label when not ok, else null
   * @param message what failed when not ok, else null
   */
  public record ScopeEntry(
      String scope,
      String health,
      int instances,
      Instant lastSuccess,
      String cause,
      String message) {
    static ScopeEntry of(DiscoveryScope scope) {
      return new ScopeEntry(
          scope.scope(),
          scope.health().name().toLowerCase(java.util.Locale.ROOT),
          scope.instances(),
          scope.lastSuccess().orElse(null),
          scope.cause().orElse(null),
          scope.message().orElse(null));
    }
  }

  /** A failed discovery; {@code cause} is the stable label also used in metrics. */
  public record ProviderError(String cause, String message, Instant at) {}

  /**
   * One problem.
   *
   * @param source {@code discovery} (the provider left the item out) or {@code translation} (an
   *     instance was found but not, or not fully, published, or the mesh as a whole has a problem,
   *     such as a route to a service without instances)
   * @param value the offending value, null when it is missing
   * @param message the one-line form, e.g. {@code vm-3: tag mesh-port is 'http', not a port number}
   */
  public record ProblemEntry(
      String source, String subject, String field, String value, String reason, String message) {
    static ProblemEntry of(String source, Problem problem) {
      return new ProblemEntry(
          source,
          problem.subject(),
          problem.field(),
          problem.value().orElse(null),
          problem.reason(),
          problem.message());
    }
  }

  /**
   * A removal held back until {@code seen} reaches {@code required} discoveries and the time is at
   * least {@code notBefore}; {@code since} is when a discovery first proposed it.
   */
  public record HeldRemoval(
      String service,
      int current,
      int proposed,
      int seen,
      int required,
      Instant since,
      Instant notBefore) {}

  /** A snapshot that failed validation and was not published. */
  public record Rejection(Instant at, List<String> violations) {
    public Rejection {
      violations = List.copyOf(violations);
    }
  }

  /**
   * A change feed as the API shows it; {@code oldestMessageAgeSeconds} is null when the reader
   * holds no message.
   */
  public record ChangeFeed(
      String source,
      String state,
      String cause,
      Instant since,
      long eventsRead,
      long eventsIgnored,
      long messagesRejected,
      long refreshesRequested,
      long unannouncedChanges,
      long failedAttempts,
      Double oldestMessageAgeSeconds) {
    static ChangeFeed of(ChangeFeedStatus feed) {
      return new ChangeFeed(
          feed.source(),
          feed.state().label(),
          feed.cause().orElse(null),
          feed.since(),
          feed.eventsRead(),
          feed.eventsIgnored(),
          feed.messagesRejected(),
          feed.refreshesRequested(),
          feed.unannouncedChanges(),
          feed.failedAttempts(),
          feed.oldestMessageAge().map(d -> d.toMillis() / 1000.0).orElse(null));
    }
  }

  /** The view of {@code state} now. */
  public static ProblemsView of(MeshState state) {
    DiscoveryStatus discovery = state.discovery();
    List<ProblemEntry> problems = new ArrayList<>();
    discovery.lastDiscovery().map(Discovery::problems).orElse(List.of()).stream()
        .map(p -> ProblemEntry.of("discovery", p))
        .forEach(problems::add);
    state.published().map(PublishedSnapshot::problems).orElse(List.of()).stream()
        .map(p -> ProblemEntry.of("translation", p))
        .forEach(problems::add);
    return new ProblemsView(
        discovery.provider(),
        discovery.lastSuccess().orElse(null),
        discovery.lastAttempt().orElse(null),
        discovery.consecutiveFailures(),
        discovery.totalFailures(),
        discovery
            .lastError()
            .map(e -> new ProviderError(e.cause(), e.message(), e.at()))
            .orElse(null),
        problems,
        discovery.heldRemovals().stream()
            .map(
                h ->
                    new HeldRemoval(
                        h.service(),
                        h.current(),
                        h.proposed(),
                        h.seen(),
                        h.required(),
                        h.since(),
                        h.notBefore()))
            .toList(),
        discovery.lastRejection().map(r -> new Rejection(r.at(), r.violations())).orElse(null),
        discovery.lastDiscovery().map(Discovery::scopes).orElse(List.of()).stream()
            .map(ScopeEntry::of)
            .toList(),
        state.changeFeed().map(ChangeFeed::of).orElse(null));
  }
}
