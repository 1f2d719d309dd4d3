package io.azmesh.discovery.azure;

import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;
import java.time.Duration;

/**
 * The SDK's exponential backoff with jitter, except that a {@link ThrottledException} (a {@code
 * Retry-After} past the refresh's deadline) is never retried: waiting for it is what it is there to
 * avoid.
 */
final class DeadlineAwareRetry implements RetryStrategy {
  private final ExponentialBackoff backoff;

  DeadlineAwareRetry(RetrySettings settings) {
    this.backoff =
        new ExponentialBackoff(
            new ExponentialBackoffOptions()
                .setMaxRetries(settings.maxRetries())
                .setBaseDelay(settings.baseDelay())
                .setMaxDelay(settings.maxDelay()));
  }

  @Override
  public int getMaxRetries() {
    return backoff.getMaxRetries();
  }

  @Override
  public Duration calculateRetryDelay(int retryAttempts) {
    return backoff.calculateRetryDelay(retryAttempts);
  }

  @Override
  public boolean shouldRetry(HttpResponse response) {
    return backoff.shouldRetry(response);
  }

  @Override
  public boolean shouldRetryException(Throwable throwable) {
    return !isBeyondDeadline(throwable) && backoff.shouldRetryException(throwable);
  }

  @Override
  public boolean shouldRetryCondition(RequestRetryCondition condition) {
    return !isBeyondDeadline(condition.getThrowable()) && backoff.shouldRetryCondition(condition);
  }

  private static boolean isBeyondDeadline(Throwable throwable) {
    for (Throwable t = throwable; t != null; t = t.getCause()) {
      if (t instanceof ThrottledException) {
        return true;
      }
    }
    return false;
  }
}
