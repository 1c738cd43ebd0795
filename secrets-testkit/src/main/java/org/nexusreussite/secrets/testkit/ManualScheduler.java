package org.nexusreussite.secrets.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * A scheduler driven by a {@link ManualClock}: nothing runs until the test calls {@link #runDue()} or
 * {@link #advance(Duration)}, and then it runs on the test's thread, in due order. Tests of refresh and
 * rotation need no sleeps and no timing luck.
 */
public final class ManualScheduler implements TaskScheduler {

  private record Task(Instant due, long sequence, Runnable body, ManualScheduler owner)
      implements Cancellable {
    @Override
    public void cancel() {
      owner.remove(this);
    }
  }

  private final ManualClock clock;
  private final AtomicLong sequence = new AtomicLong();
  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      Comparator.comparing(Task::due).thenComparingLong(Task::sequence));
  private long ran;

  /** A scheduler whose due times are read from {@code clock}. */
  public ManualScheduler(ManualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The clock this scheduler reads. */
  public ManualClock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    Task scheduled = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay),
        sequence.incrementAndGet(), task, this);
    synchronized (this) {
      queue.add(scheduled);
    }
    return scheduled;
  }

  private synchronized void remove(Task task) {
    queue.remove(task);
  }

  /**
   * Runs every task due now, including tasks they schedule that are due now too.
   *
   * @return how many tasks ran
   */
  public int runDue() {
    int count = 0;
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due().isAfter(clock.instant())) {
          return count;
        }
        queue.poll();
        ran++;
      }
      next.body().run();
      count++;
    }
  }

  /**
   * Advances the clock by {@code amount}, stopping at each due task to run it at its due time.
   *
   * @return how many tasks ran
   */
  public int advance(Duration amount) {
    Instant target = clock.instant().plus(amount);
    int count = runDue();
    while (true) {
      Instant nextDue;
      synchronized (this) {
        Task next = queue.peek();
        nextDue = next == null ? null : next.due();
      }
      if (nextDue == null || nextDue.isAfter(target)) {
        break;
      }
      if (nextDue.isAfter(clock.instant())) {
        clock.set(nextDue);
      }
      count += runDue();
    }
    clock.set(target);
    return count + runDue();
  }

  /** Tasks waiting to run. */
  public synchronized int pending() {
    return queue.size();
  }

  /** Due times of the waiting tasks, earliest first. */
  public synchronized List<Instant> pendingDueTimes() {
    List<Task> tasks = new ArrayList<>(queue);
    tasks.sort(queue.comparator());
    return tasks.stream().map(Task::due).toList();
  }

  /** Tasks run so far. */
  public synchronized long ran() {
    return ran;
  }

  @Override
  public String toString() {
    return "ManualScheduler[pending=" + pending() + ", " + clock + "]";
  }
}
