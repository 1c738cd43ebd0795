package org.nexusreussite.secrets.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;
import com.azure.core.util.DateTimeRfc1123;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Exponential back-off that honours {@code Retry-After} (the client's {@code RetryPolicy} waits for it),
 * with a bound: azure-core waits for whatever the service asks, so a {@code Retry-After: 3600} would park
 * the caller for an hour. A request asked to wait longer than {@code maxRetryWait} is not retried, and the
 * backend reports the throttling at once; the resolver serves its cached value meanwhile. Neither a back-off nor
 * a {@code Retry-After} wait runs past the call's deadline ({@link CallDeadline}). Thread-safe.
 */
final class BoundedRetryStrategy implements RetryStrategy {
  private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
  private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");

  private final ExponentialBackoff backoff;
  private final int maxRetries;
  private final Duration maxRetryWait;

  BoundedRetryStrategy(int maxRetries, Duration baseDelay, Duration maxRetryWait) {
    // back-off without Retry-After: base, 2x, 4x... capped at 8x base, and never above maxRetryWait
    Duration maxDelay = baseDelay.multipliedBy(8);
    if (!maxRetryWait.isZero() && maxRetryWait.compareTo(maxDelay) < 0) {
      maxDelay = maxRetryWait;
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      maxDelay = baseDelay;
    }
    this.backoff = new ExponentialBackoff(maxRetries, baseDelay, maxDelay);
    this.maxRetries = maxRetries;
    this.maxRetryWait = maxRetryWait;
  }

  @Override
  public int getMaxRetries() {
    return maxRetries;
  }

  /**
   * The back-off, never past the call's deadline ({@link CallDeadline}): the attempt after it then finds no time
   * left and fails at once, so the call ends at its deadline rather than a back-off later.
   */
  @Override
  public Duration calculateRetryDelay(int retryAttempts) {
    Duration delay = backoff.calculateRetryDelay(retryAttempts);
    CallDeadline call = CallDeadline.current();
    if (call != null) {
      long left = Math.max(0, call.remainingNanos());
      if (left < delay.toNanos()) {
        return Duration.ofNanos(left);
      }
    }
    return delay;
  }

  /**
   * Not after a passed deadline (a retry would wait as long again: the deadline bounds the call, not each try)
   * nor after an oversized answer (it will be as large again).
   */
  @Override
  public boolean shouldRetryException(Throwable throwable) {
    return !bounded(throwable) && RetryStrategy.super.shouldRetryException(throwable);
  }

  private static boolean bounded(Throwable throwable) {
    for (Throwable t = throwable; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BoundedHttpClient.DeadlineExceeded || t instanceof BoundedHttpClient.AnswerTooLarge) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean shouldRetryCondition(RequestRetryCondition condition) {
    // azure-core asks this, not shouldRetryException, for exceptions too
    if (bounded(condition.getThrowable())) {
      return false;
    }
    CallDeadline call = CallDeadline.current();
    long left = call == null ? Long.MAX_VALUE : call.remainingNanos();
    if (left <= 0) {
      return false; // the call's time is up: report this attempt's failure rather than start another
    }
    HttpResponse response = condition.getResponse();
    if (response != null) {
      Optional<Duration> asked = retryAfter(response);
      if (asked.isPresent() && (asked.get().compareTo(maxRetryWait) > 0 || asked.get().toNanos() >= left)) {
        // azure-core waits for Retry-After itself, past any back-off bound: a wait the deadline cannot hold
        // is refused at once, and the resolver serves its cached value meanwhile
        return false;
      }
    }
    return backoff.shouldRetryCondition(condition);
  }

  /** The delay the service asked for, from the headers azure-core honours. */
  static Optional<Duration> retryAfter(HttpResponse response) {
    try {
      for (HttpHeaderName name : new HttpHeaderName[] {X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS}) {
        String ms = response.getHeaderValue(name);
        if (ms != null && !ms.isBlank()) {
          return Optional.of(Duration.ofMillis(Long.parseLong(ms.strip())));
        }
      }
      String value = response.getHeaderValue(HttpHeaderName.RETRY_AFTER);
      if (value == null || value.isBlank()) {
        return Optional.empty();
      }
      value = value.strip();
      if (value.chars().allMatch(Character::isDigit)) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      }
      OffsetDateTime at = new DateTimeRfc1123(value).getDateTime();
      Duration d = Duration.between(OffsetDateTime.now(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (RuntimeException unparsable) {
      // a header we cannot read is ignored, as azure-core ignores it, and the back-off applies
      return Optional.empty();
    }
  }
}
