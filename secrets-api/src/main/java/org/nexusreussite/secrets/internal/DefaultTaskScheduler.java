package org.nexusreussite.secrets.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nexusreussite.secrets.spi.TaskScheduler;

/** Two daemon threads named {@code secrets-refresh-N}; owned and shut down by the resolver. */
final class DefaultTaskScheduler implements TaskScheduler, AutoCloseable {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ScheduledThreadPoolExecutor executor;

  DefaultTaskScheduler() {
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "secrets-refresh-" + pool + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    executor = new ScheduledThreadPoolExecutor(2, factory);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    if (executor.isShutdown()) {
      return () -> { };
    }
    ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), Math.max(0, delay.toNanos()),
        TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // a background task has no caller to throw to; its message carries no value by construction
      LOG.log(System.Logger.Level.WARNING, "Background secrets task failed: " + e.getClass().getName()
          + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
