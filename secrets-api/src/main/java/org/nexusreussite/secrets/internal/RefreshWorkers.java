package org.nexusreussite.secrets.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default pool that runs refresh work, apart from the timer threads: one thread per backend lane at
 * most (plus one for pinned and unassigned work), idle threads stop after a minute. Daemon threads named
 * {@code secrets-refresh-worker-N}; owned and shut down by the resolver.
 *
 * <p>Concurrency: a {@link ThreadPoolExecutor}; its queue holds at most one drain task per lane.
 */
final class RefreshWorkers implements Executor, AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ThreadPoolExecutor executor;

  RefreshWorkers(int threads) {
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    // an anonymous class, not a lambda: built with every resolver, and a first lambda costs start-up (issue 18)
    executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new java.util.concurrent.ThreadFactory() {
          @Override
          public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "secrets-refresh-worker-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          }
        });
    executor.allowCoreThreadTimeOut(true);
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
