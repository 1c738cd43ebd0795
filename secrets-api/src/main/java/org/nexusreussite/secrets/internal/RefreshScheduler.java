package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * Time-based work on cache entries: each entry's refresh (or, when not found, its expiry) at its due
 * time, the max-stale deadline of a stale entry, and the batching of refreshes per backend.
 *
 * <p>The timer ({@link TaskScheduler}) only decides what is due and claims it; the refresh itself runs
 * in the backend's lane: a serial queue per backend over a worker executor. A store that hangs therefore
 * holds one worker and delays only its own keys; the timer, other backends' refreshes and max-stale
 * deadlines go on.
 *
 * <p>Batch claiming: when an entry is due, the entries of the same backend due within half an interval
 * go along in one request. Each entry is claimed by compare-and-set on {@code refreshing}, under a lock
 * per backend held only while collecting (never while asking the store), so two timer threads cannot
 * both take one entry; an entry left unreplaced by its batch (the batch threw) is released and retried.
 *
 * <p>Bounded state: every task holds its entry only while the entry is in the cache: replacing or
 * evicting an entry retires it, which cancels its tasks, and a task scheduled after retirement is
 * cancelled at once.
 */
final class RefreshScheduler {

  /** What the scheduler needs from the resolver. */
  interface Host {
    ConcurrentMap<String, CacheEntry> entries();

    boolean closed();

    /** Asks the backends for these entries' keys and applies the outcomes. */
    void refresh(List<CacheEntry> batch);

    /** Replaces a stale entry whose max-stale deadline passed, if it is still the one served. */
    void expire(CacheEntry stale);

    /** A newly written entry is about to be served (told once per entry, see {@code ServedSecretListener}). */
    void served(CacheEntry e);
  }

  private final TaskScheduler timer;
  private final Clock clock;
  private final EntryPolicy policy;
  private final Host host;
  private final Executor workers;
  private final Map<BackendSlot, Lane> lanes = new IdentityHashMap<>();
  private final Lane unassigned;

  RefreshScheduler(TaskScheduler timer, Executor workers, Clock clock, EntryPolicy policy,
      List<BackendSlot> slots, Host host) {
    this.timer = timer;
    this.workers = workers;
    this.clock = clock;
    this.policy = policy;
    this.host = host;
    for (BackendSlot slot : slots) {
      lanes.put(slot, new Lane());
    }
    this.unassigned = new Lane();
  }

  /** An entry's next refresh (or, when not found, its expiry). */
  private final class Due implements Runnable {
    private final CacheEntry entry;

    Due(CacheEntry entry) {
      this.entry = entry;
    }

    @Override
    public void run() {
      onDue(entry);
    }
  }

  /** Schedules a newly written entry's next task and, when stale, its max-stale deadline. */
  void schedule(CacheEntry e) {
    if (host.closed() || !e.scheduled.compareAndSet(false, true)) {
      return;
    }
    // every written entry passes here exactly once (the claim above), whichever path wrote it: load,
    // group read, prefetch, refresh, pin; so this is the one place that tells served-value listeners
    host.served(e);
    // a class, not a lambda: every first read schedules one, and a first lambda costs start-up (issue 18)
    e.task = timer.schedule(new Due(e), delayUntil(e.refreshDue));
    Instant deadline = policy.staleDeadline(e);
    if (deadline != null) {
      e.deadline = timer.schedule(() -> host.expire(e), delayUntil(deadline));
    }
    if (e.retired) {
      e.retire(); // replaced or evicted while its tasks were being scheduled: do not keep it alive
    }
  }

  private Duration delayUntil(Instant due) {
    Duration delay = Duration.between(clock.instant(), due);
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  private void onDue(CacheEntry e) {
    ConcurrentMap<String, CacheEntry> entries = host.entries();
    if (host.closed() || entries.get(e.key) != e) {
      return; // replaced, evicted or closed meanwhile
    }
    if (e.kind == CacheEntry.Kind.NOT_FOUND) {
      if (entries.remove(e.key, e)) {
        e.retire();
      }
      return;
    }
    BackendSlot slot = e.slot;
    List<CacheEntry> batch = new ArrayList<>();
    // one collector per backend at a time: two tasks due together on two timer threads would otherwise
    // each claim part of the entries and send two requests (the read path never takes this lock)
    synchronized (slot != null ? slot : e) {
      if (!e.refreshing.compareAndSet(false, true)) {
        return; // a batch already took this entry along
      }
      batch.add(e);
      if (!e.pinned() && slot != null) {
        // entries due within half an interval go along: entries loaded at different times then line up
        // after one or two rounds, and a backend that serves many keys per request is asked once
        Instant horizon = clock.instant().plus(policy.refreshInterval.dividedBy(2));
        for (CacheEntry other : entries.values()) {
          if (other != e && other.slot == slot && !other.pinned() && other.kind != CacheEntry.Kind.NOT_FOUND
              && !other.refreshDue.isAfter(horizon) && other.refreshing.compareAndSet(false, true)) {
            batch.add(other);
          }
        }
      }
    }
    lane(slot).submit(() -> runBatch(batch, true));
  }

  private void runBatch(List<CacheEntry> batch, boolean claimed) {
    try {
      host.refresh(batch);
    } finally {
      if (claimed) {
        release(batch);
      }
    }
  }

  /** Entries the batch did not replace (it threw) are released and retried after the shortest backoff. */
  private void release(List<CacheEntry> batch) {
    ConcurrentMap<String, CacheEntry> entries = host.entries();
    for (CacheEntry b : batch) {
      if (entries.get(b.key) == b) {
        b.refreshing.set(false);
        if (!host.closed()) {
          b.task = timer.schedule(() -> onDue(b), EntryPolicy.MIN_BACKOFF);
          if (b.retired) {
            b.retire();
          }
        }
      }
    }
  }

  /**
   * Refreshes every cached entry now, one batch per backend in its lane; entries remembered as not found
   * are dropped so the next read asks again.
   */
  CompletableFuture<Void> refreshAll() {
    Map<@Nullable BackendSlot, List<CacheEntry>> bySlot = new LinkedHashMap<>();
    ConcurrentMap<String, CacheEntry> entries = host.entries();
    for (CacheEntry e : entries.values()) {
      if (e.kind == CacheEntry.Kind.NOT_FOUND) {
        if (entries.remove(e.key, e)) {
          e.retire();
        }
      } else {
        bySlot.computeIfAbsent(e.slot, s -> new ArrayList<>()).add(e);
      }
    }
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Map.Entry<@Nullable BackendSlot, List<CacheEntry>> batch : bySlot.entrySet()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      done.add(f);
      lane(batch.getKey()).submit(() -> {
        try {
          runBatch(batch.getValue(), false);
          f.complete(null);
        } catch (RuntimeException ex) {
          f.completeExceptionally(ex);
        }
      });
    }
    return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * A watching backend reported a change of {@code keys} (all of its keys when empty): their entries are
   * refreshed now; keys remembered as not found are dropped, since they may exist now.
   */
  void changed(BackendSlot slot, java.util.Set<String> keys) {
    if (host.closed()) {
      return;
    }
    ConcurrentMap<String, CacheEntry> entries = host.entries();
    List<CacheEntry> batch = new ArrayList<>();
    for (CacheEntry e : entries.values()) {
      boolean concerned = keys.isEmpty() ? e.slot == slot : keys.contains(e.key);
      if (!concerned) {
        continue;
      }
      if (e.kind == CacheEntry.Kind.NOT_FOUND) {
        if (entries.remove(e.key, e)) {
          e.retire();
        }
      } else {
        batch.add(e);
      }
    }
    if (!batch.isEmpty()) {
      host.refresh(batch);
    }
  }

  /** Runs {@code work} in {@code slot}'s lane, after the work queued there before. */
  void inLane(@Nullable BackendSlot slot, Runnable work) {
    lane(slot).submit(work);
  }

  private Lane lane(@Nullable BackendSlot slot) {
    Lane lane = slot == null ? null : lanes.get(slot);
    return lane != null ? lane : unassigned;
  }

  /**
   * A serial queue over the shared workers: one task of the lane runs at a time, in order. Tasks are
   * bounded by the entries (each claimed once) plus forced refreshes.
   */
  private final class Lane {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    void submit(Runnable task) {
      queue.add(task);
      kick();
    }

    private void kick() {
      if (running.compareAndSet(false, true)) {
        try {
          workers.execute(this::drain);
        } catch (RuntimeException ex) {
          running.set(false); // the workers are shut down: the resolver is closing
        }
      }
    }

    private void drain() {
      try {
        Runnable task;
        while ((task = queue.poll()) != null && !host.closed()) {
          try {
            task.run();
          } catch (RuntimeException ex) {
            // no caller to throw to. Our own exceptions' messages carry no value by construction; any other
            // (a backend's or a library's) may quote what a store sent, so only its type is logged
            String detail = ex instanceof org.nexusreussite.secrets.SecretsException ? ": " + ex.getMessage() : "";
            System.getLogger("org.nexusreussite.secrets").log(System.Logger.Level.WARNING,
                "Background secrets refresh failed: " + ex.getClass().getName() + detail);
          }
        }
      } finally {
        running.set(false);
      }
      if (!queue.isEmpty() && !host.closed()) {
        kick(); // a task arrived between the last poll and the release
      }
    }
  }
}
