package org.nexusreussite.secrets.k8s;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.nexusreussite.secrets.spi.support.StoreCauses;

/**
 * A total deadline around one blocking fabric8 call. fabric8's request timeout is an idle timeout (a server
 * that drips one byte at a time never trips it), and its blocking calls wait on a future without a bound; they
 * do end on an interrupt, so a timer interrupts the calling thread at the deadline, and the interrupt is cleared
 * again before the caller sees the outcome. One daemon timer thread for the JVM, made on first use. Thread-safe.
 */
final class CallDeadline {
  /** The call passed its deadline. */
  static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exceeded(Duration deadline) {
      super("no complete answer within " + deadline.toMillis() + " ms");
    }
  }

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int FIRED = 2;

  private CallDeadline() {}

  private static final class Timer {
    static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nexus-secrets-k8s-deadline");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code call} on this thread, interrupting it at the deadline.
   *
   * @throws Exceeded when the deadline passed, whatever the call then threw or returned
   */
  static <T> T run(Duration deadline, Supplier<T> call) {
    Thread caller = Thread.currentThread();
    AtomicInteger state = new AtomicInteger(RUNNING);
    ScheduledFuture<?> timer = Timer.INSTANCE.schedule(() -> {
      if (state.compareAndSet(RUNNING, FIRED)) {
        caller.interrupt();
      }
    }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    try {
      T result = call.get();
      if (!state.compareAndSet(RUNNING, DONE)) {
        Thread.interrupted(); // ours, not the caller's
        throw new Exceeded(deadline);
      }
      return result;
    } catch (RuntimeException e) {
      if (!state.compareAndSet(RUNNING, DONE)) {
        Thread.interrupted();
        Exceeded exceeded = new Exceeded(deadline);
        // a scrubbed copy: the call's own failure can carry the API server's answer, which for a write may quote
        // the Secret sent, new value included
        exceeded.addSuppressed(StoreCauses.scrub(e));
        throw exceeded;
      }
      throw e;
    } finally {
      timer.cancel(false);
    }
  }
}
