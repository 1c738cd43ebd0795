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
    // classes, not lambdas, here and below: built and used by every first read, and a first lambda costs a
    // JVM's start-up its bootstrap (issue 18)
    ThreadFactory factory = new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = new Thread(r, "secrets-refresh-" + pool + "-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      }
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
    ScheduledFuture<?> future = executor.schedule(new Logged(task), Math.max(0, delay.toNanos()),
        TimeUnit.NANOSECONDS);
    return new Cancel(future);
  }

  private static final class Logged implements Runnable {
    private final Runnable task;

    Logged(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      runLogged(task);
    }
  }

  private static final class Cancel implements Cancellable {
    private final ScheduledFuture<?> future;

    Cancel(ScheduledFuture<?> future) {
      this.future = future;
    }

    @Override
    public void cancel() {
      future.cancel(false);
    }
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
