package io.azmesh.discovery.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Counts HTTP requests to ARM into a counter carried in the request {@link Context}, so every
 * refresh counts exactly its own requests. It sits after the retry policy in the pipeline, so each
 * retry counts as a request: that is what ARM's throttling counts too.
 */
final class RequestCounter implements HttpPipelinePolicy {
  private static final String KEY = "io.azmesh.discovery.azure.requests";

  /** A context that counts the requests made with it into {@code requests}. */
  static Context countingInto(AtomicInteger requests) {
    return Context.NONE.addData(KEY, requests);
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    count(context);
    return next.process();
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    count(context);
    return next.processSync();
  }

  private static void count(HttpPipelineCallContext context) {
    context
        .getData(KEY)
        .filter(AtomicInteger.class::isInstance)
        .map(AtomicInteger.class::cast)
        .ifPresent(AtomicInteger::incrementAndGet);
  }
}
