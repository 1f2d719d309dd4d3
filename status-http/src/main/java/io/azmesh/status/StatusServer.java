package io.azmesh.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status API, Prometheus metrics and status page over a {@link MeshState}.
 *
 * <p>Every response is computed from the view at request time; the server keeps no copy of the mesh
 * and cannot change it. Meters other components register on the same registry are served by {@code
 * /metrics} too.
 */
public final class StatusServer {

  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

  /** The Prometheus text exposition format that {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  static final String NO_SNAPSHOT = "no snapshot published yet";

  private final StatusServerConfig config;
  private final MeshState state;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final MeshHistory history;
  private Javalin app;
  private MeshStateMetrics metrics;
  private ScheduledExecutorService sampler;

  /**
   * A server for {@code state}, serving {@code registry} on {@code /metrics}; {@code clock} drives
   * the seconds-since-last-discovery gauge.
   */
  public StatusServer(
      StatusServerConfig config, MeshState state, PrometheusMeterRegistry registry, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.state = Objects.requireNonNull(state, "state");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.history =
        new MeshHistory(
            state, registry, clock, MeshHistory.DEFAULT_INTERVAL, MeshHistory.DEFAULT_CAPACITY);
  }

  /** Binds, registers the mesh gauges and serves; returns the bound port (useful with port 0). */
  public synchronized int start() {
    if (app != null) {
      throw new IllegalStateException("status server is already started on port " + app.port());
    }
    metrics = new MeshStateMetrics(state, clock);
    metrics.bindTo(registry);
    history.sample();
    Javalin created = Javalin.create(this::configure);
    try {
      created.start(config.bindAddress(), config.port());
    } catch (RuntimeException e) {
      created.stop();
      metrics.close();
      metrics = null;
      throw new IllegalStateException(
          "cannot serve the status API on " + config.bindAddress() + ":" + config.port(), e);
    }
    app = created;
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "azmesh-status-history");
              thread.setDaemon(true);
              return thread;
            });
    // Checks every second whether a new snapshot was published, so the charts show each change.
    sampler.scheduleWithFixedDelay(this::sampleHistory, 1, 1, TimeUnit.SECONDS);
    log.info(
        "status API on http://{}:{}/ ({})",
        config.bindAddress(),
        app.port(),
        config.token().isPresent() ? "bearer token required" : "no token");
    return app.port();
  }

  /** The bound port while started. */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("status server is not started");
    }
    return app.port();
  }

  /**
   * The paths routed for GET while started, as Javalin holds them: what a check of the bearer token
   * must cover, new routes included.
   */
  synchronized List<String> routedPaths() {
    if (app == null) {
      throw new IllegalStateException("status server is not started");
    }
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(endpoint -> endpoint.method == HandlerType.GET)
        .map(endpoint -> endpoint.path)
        .distinct()
        .toList();
  }

  /** Stops serving and removes the mesh gauges; does nothing if not started. */
  public synchronized void stop() {
    if (app == null) {
      return;
    }
    sampler.shutdownNow();
    sampler = null;
    app.stop();
    app = null;
    metrics.close();
    metrics = null;
  }

  private void sampleHistory() {
    try {
      history.tick();
    } catch (RuntimeException e) {
      // A failed sample leaves a gap in the charts; it must not end the sampling.
      log.warn("cannot sample the mesh for /api/history", e);
    }
  }

  private void configure(JavalinConfig javalin) {
    javalin.startup.showJavalinBanner = false;
    javalin.startup.showOldJavalinVersionWarning = false;
    javalin.http.prefer405over404 = true;
    javalin.jsonMapper(new JavalinJackson(jsonMapper(), false));
    // Method, path and status only: headers may carry the bearer token.
    javalin.requestLogger.http(
        (ctx, millis) ->
            log.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), millis));

    javalin.routes.before(
        ctx -> {
          ctx.header("X-Content-Type-Options", "nosniff");
          ctx.header("Cache-Control", "no-store");
        });
    config
        .token()
        .ifPresent(
            token -> {
              BearerAuth auth = new BearerAuth(token);
              javalin.routes.before("/api/*", auth);
              javalin.routes.before("/metrics", auth);
            });

    javalin.routes.get("/healthz", ctx -> ctx.json(HealthView.alive()));
    javalin.routes.get("/readyz", this::readiness);
    javalin.routes.get("/api/vms", ctx -> ctx.json(VmsView.of(state)));
    javalin.routes.get("/api/services", ctx -> ctx.json(ServicesView.of(state)));
    javalin.routes.get("/api/nodes", ctx -> ctx.json(NodesView.of(state)));
    javalin.routes.get("/api/problems", ctx -> ctx.json(ProblemsView.of(state)));
    javalin.routes.get("/api/snapshot", this::snapshot);
    javalin.routes.get("/api/events", this::events);
    javalin.routes.get("/api/history", this::history);
    javalin.routes.get(
        "/metrics", ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape()));
    for (StatusPage.Asset asset : StatusPage.assets()) {
      javalin.routes.get(
          asset.path(),
          ctx ->
              ctx.header("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY)
                  .contentType(asset.contentType())
                  .result(asset.content()));
    }

    javalin.routes.exception(
        HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), messageOf(e, ctx)));
    javalin.routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("status request {} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal error; the control plane log has the details");
        });
  }

  /**
   * Ready only with a fresh world: a snapshot a discovery of this process confirmed. A snapshot
   * restored from before a restart is served, but the replica is not ready until a discovery
   * confirms it, so a load balancer prefers replicas that see the world as it is now.
   */
  private void readiness(Context ctx) {
    state
        .published()
        .ifPresentOrElse(
            snapshot -> {
              if (snapshot.origin() == PublishedSnapshot.Origin.RESTORED) {
                ctx.status(503).json(HealthView.restored(snapshot.snapshotVersion()));
              } else {
                ctx.json(HealthView.ready(snapshot.snapshotVersion()));
              }
            },
            () -> ctx.status(503).json(HealthView.notReady(NO_SNAPSHOT)));
  }

  private void snapshot(Context ctx) {
    state
        .published()
        .ifPresentOrElse(
            snapshot -> ctx.json(SnapshotView.of(snapshot)), () -> error(ctx, 503, NO_SNAPSHOT));
  }

  private void events(Context ctx) {
    EventQuery query;
    try {
      query = EventQuery.parse(ctx.queryParamMap());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    ctx.json(EventsView.of(state, query));
  }

  private void history(Context ctx) {
    ctx.json(HistoryView.of(history));
  }

  /** Javalin's own texts for routing errors do not say which path and method; ours do. */
  private static String messageOf(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
      case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
      default -> e.getMessage();
    };
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).json(new ApiError(status, message));
  }

  private static ObjectMapper jsonMapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }
}
