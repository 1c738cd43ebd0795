package org.nexusreussite.secrets.spi;

import java.time.Duration;

/**
 * Runs refreshes and other background work. The resolver's default runs on a small pool of daemon
 * threads; tests use the testkit's {@code ManualScheduler}, which runs due tasks when a fake clock is
 * advanced. Implementations are thread-safe.
 */
public interface TaskScheduler {

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not started; idempotent. */
    void cancel();
  }

  /** Runs {@code task} once after {@code delay}. */
  Cancellable schedule(Runnable task, Duration delay);

  /** Runs {@code task} as soon as possible, off the caller's thread. */
  default void execute(Runnable task) {
    schedule(task, Duration.ZERO);
  }
}
