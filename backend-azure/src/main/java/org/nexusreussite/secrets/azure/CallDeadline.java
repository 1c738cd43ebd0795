package org.nexusreussite.secrets.azure;

import com.azure.core.util.Context;
import java.time.Duration;
import java.util.function.Function;

/**
 * The total deadline of one store call ({@link AzureBackendProvider#CALL_TIMEOUT}): every attempt, every
 * back-off and every page of a listing. Why: {@link BoundedHttpClient} bounds one request, but azure-core's
 * retry policy runs several requests with waits between them, so without a bound on the whole a call could take
 * (retries + 1) x the request deadline plus the back-off. The deadline travels in two ways: in the azure-core
 * {@link Context} handed to the client (which reaches {@link BoundedHttpClient#send}, so each attempt gets only
 * the time left), and as the calling thread's current deadline, which {@link BoundedRetryStrategy} reads to
 * refuse a retry (or shorten its back-off) when no time is left: the synchronous client runs its retry loop on
 * the calling thread. Immutable; the thread binding is confined to {@link #run}.
 */
final class CallDeadline {
  private static final String CONTEXT_KEY = "nexus-secrets-azure-call-deadline";
  private static final ThreadLocal<CallDeadline> CURRENT = new ThreadLocal<>();

  private final Duration timeout;
  private final long endNanos;

  private CallDeadline(Duration timeout) {
    this.timeout = timeout;
    this.endNanos = System.nanoTime() + timeout.toNanos();
  }

  /** The configured length of the call's deadline. */
  Duration timeout() {
    return timeout;
  }

  /** Nanoseconds left until the deadline; zero or negative once it passed. */
  long remainingNanos() {
    return endNanos - System.nanoTime();
  }

  /**
   * Runs one store call under a deadline of {@code timeout}, handing it the context to pass to the client. A
   * call made inside another (e.g. {@code previous()} lists the versions, then reads one) shares the outer
   * deadline: the caller asked for one call.
   */
  static <T> T run(Duration timeout, Function<Context, T> call) {
    CallDeadline outer = CURRENT.get();
    CallDeadline deadline = outer != null ? outer : new CallDeadline(timeout);
    if (outer == null) {
      CURRENT.set(deadline);
    }
    try {
      return call.apply(new Context(CONTEXT_KEY, deadline));
    } finally {
      if (outer == null) {
        CURRENT.remove();
      }
    }
  }

  /** The deadline of the call this request belongs to: from the context, else the thread's; null if none. */
  static CallDeadline of(Context context) {
    if (context != null) {
      Object data = context.getData(CONTEXT_KEY).orElse(null);
      if (data instanceof CallDeadline d) {
        return d;
      }
    }
    return CURRENT.get();
  }

  /** The calling thread's current call deadline, or null outside {@link #run}. */
  static CallDeadline current() {
    return CURRENT.get();
  }
}
