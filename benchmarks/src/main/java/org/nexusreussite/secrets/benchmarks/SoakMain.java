package org.nexusreussite.secrets.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * The soak test (issue 12, standing defences): {@value #THREADS} threads for a given time (10 minutes by
 * default) against one resolver over a flapping store, each thread alternating a read of one of
 * {@value #KEYS} stored keys with a read of a key never seen before (so the resolver's per-key state for
 * misses is exercised as by an application that builds key names from request input). The store fails every
 * read for half of each {@value #FLAP_SECONDS}-second cycle. By default a read costs the store nothing, so misses
 * arrive as fast as the resolver takes them (as in issue 13's measurement); a latency argument such as
 * {@code 1ms} simulates a network store instead. The resolver refreshes every 5 s; its other settings are the
 * defaults.
 *
 * <p>Every report interval it prints the heap used after a full GC ({@code MemoryMXBean} after
 * {@code System.gc()}), the live threads and the operation counts by outcome; at the end a verdict: the heap
 * is flat when the median of the last minute's samples is within {@value #GROWTH_PERCENT}% (plus
 * {@value #SLACK_MB} MB for small heaps) of the first minute's, and the thread count is flat when it grew by
 * at most {@value #THREAD_SLACK}. For runs under four minutes, the first and last quarters stand in for those
 * minutes. An {@link OutOfMemoryError} anywhere ends the run with the verdict "out of memory".
 *
 * <p>Run by {@code scripts/soak.sh} (not part of the test command): arguments are the duration
 * ({@code 10m}, {@code 90s}, ISO-8601), the report interval (default {@code 10s}) and the store's latency per
 * read (default {@code 0s}: misses at full speed; {@code 1ms} for a store across a network). Exit status 0 when
 * heap and threads are flat, 1 when either grew, 2 on out of memory.
 */
public final class SoakMain {
  static final int THREADS = 16;
  static final int KEYS = 100;
  static final int FLAP_SECONDS = 10;
  static final int GROWTH_PERCENT = 20;
  static final int SLACK_MB = 4;
  static final int THREAD_SLACK = 2;
  private static final Duration DEFAULT_STORE_LATENCY = Duration.ZERO;
  // the resolver logs each outage per key; over ten minutes of flapping that is hundreds of thousands of lines
  // that would bury the report (and cost heap in the console handler): kept off, held here so it stays off
  private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("org.nexusreussite.secrets");

  private SoakMain() {}

  /** The outcome counters, one adder each so that sixteen threads do not contend on one. */
  private static final class Counts {
    final LongAdder found = new LongAdder();
    final LongAdder missing = new LongAdder();
    final LongAdder storeFailed = new LongAdder();
    final LongAdder otherError = new LongAdder();

    long total() {
      return found.sum() + missing.sum() + storeFailed.sum() + otherError.sum();
    }
  }

  /** One report line's figures. */
  private record Sample(long seconds, long heapBytes, int threads) {}

  public static void main(String[] args) throws Exception {
    SDK_LOG.setLevel(java.util.logging.Level.OFF);
    Duration duration = args.length > 0 ? parse(args[0]) : Duration.ofMinutes(10);
    Duration every = args.length > 1 ? parse(args[1]) : Duration.ofSeconds(10);
    Duration latency = args.length > 2 ? parse(args[2]) : DEFAULT_STORE_LATENCY;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();

    FlappingStore store = new FlappingStore(latency);
    Counts counts = new Counts();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> outOfMemory = new AtomicReference<>();
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

    System.out.printf("soak: %d threads, %s, %d stored keys + a new missing key per read pair, store fails "
        + "half of each %ds, store latency %s, max heap %d MB, report every %s%n", THREADS, duration, KEYS,
        FLAP_SECONDS, latency, Runtime.getRuntime().maxMemory() >> 20, every);
    System.out.println("soak: t(s)  heap-after-gc(MB)  threads  found  missing  store-failed  other-error  ops/s  store");

    // not closed in a try-with-resources: after an OutOfMemoryError a loader may have died mid-flight, and
    // closing (or waiting for a reader blocked on it) could hang the run instead of reporting it
    SecretResolver resolver = SecretResolver.builder()
        .config(SecretsConfig.of(Map.of()))
        .backend(store, 300)
        // refreshes land in outages and between them; max-stale stays at its default (1 h), so stored keys
        // are served through every outage and a failed read means a key that was never cached
        .refreshInterval(Duration.ofSeconds(5))
        .build();
    CountDownLatch done = new CountDownLatch(THREADS);
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        try {
          work(resolver, thread, counts, stop);
        } catch (OutOfMemoryError e) {
          outOfMemory.compareAndSet(null, e);
          stop.set(true);
        } finally {
          done.countDown();
        }
      }, "soak-" + t);
      worker.setDaemon(true);
      // a worker that dies of an error outside work() (the handler itself may run out of memory) still ends the run
      worker.setUncaughtExceptionHandler((th, e) -> {
        if (e instanceof OutOfMemoryError oom) {
          outOfMemory.compareAndSet(null, oom);
        }
        stop.set(true);
      });
      worker.start();
    }

    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long lastOps = 0;
    long lastNanos = start;
    while (!stop.get() && System.nanoTime() < end) {
      long next = Math.min(end, lastNanos + every.toNanos());
      flapUntil(store, start, next, stop);
      try {
        System.gc();
        long heap = memory.getHeapMemoryUsage().getUsed();
        int threads = threadBean.getThreadCount();
        long now = System.nanoTime();
        long ops = counts.total();
        long seconds = Duration.ofNanos(now - start).toSeconds();
        samples.add(new Sample(seconds, heap, threads));
        System.out.printf("soak: %5d  %17.1f  %7d  %d  %d  %d  %d  %.0f  %s%n", seconds, heap / 1048576.0,
            threads, counts.found.sum(), counts.missing.sum(), counts.storeFailed.sum(),
            counts.otherError.sum(), (ops - lastOps) * 1e9 / Math.max(1, now - lastNanos),
            store.failing ? "failing" : "up");
        lastOps = ops;
        lastNanos = now;
      } catch (OutOfMemoryError e) {
        outOfMemory.compareAndSet(null, e);
        stop.set(true);
      }
    }
    stop.set(true);
    boolean stopped = done.await(30, TimeUnit.SECONDS);

    if (outOfMemory.get() != null) {
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      System.out.println();
      System.out.println("soak: VERDICT out of memory after " + seconds + " s (" + counts.total() + " operations: "
          + counts.missing.sum() + " distinct missing keys)" + (stopped ? "" : "; some readers never returned"));
      System.out.flush();
      // halt, not exit: a reader may be parked on a load that died with the error, and nothing is left to close
      Runtime.getRuntime().halt(2);
    }
    resolver.close();
    System.exit(verdict(samples, duration) ? 0 : 1);
  }

  private static void work(SecretResolver resolver, int thread, Counts counts, AtomicBoolean stop) {
    long n = 0;
    while (!stop.get()) {
      read(resolver, Fixtures.key((int) (n % KEYS)), counts);
      // a key no one asked for before: thread number and counter make it unique for the whole run
      read(resolver, "MISSING_" + thread + "_" + n, counts);
      n++;
    }
  }

  private static void read(SecretResolver resolver, String key, Counts counts) {
    try {
      Optional<String> value = resolver.find(key);
      (value.isPresent() ? counts.found : counts.missing).increment();
    } catch (SecretNotFoundException e) {
      counts.missing.increment();
    } catch (SecretsException e) {
      // the store is failing and nothing is cached for the key (or max-stale has passed)
      counts.storeFailed.increment();
    } catch (RuntimeException e) {
      counts.otherError.increment();
    }
  }

  /** Flips the store between up and failing every half cycle until {@code until} (System.nanoTime). */
  private static void flapUntil(FlappingStore store, long start, long until, AtomicBoolean stop)
      throws InterruptedException {
    long halfCycle = Duration.ofSeconds(FLAP_SECONDS).toNanos() / 2;
    while (!stop.get()) {
      long now = System.nanoTime();
      if (now >= until) {
        return;
      }
      store.failing = ((now - start) / halfCycle) % 2 == 1;
      long nextFlip = start + ((now - start) / halfCycle + 1) * halfCycle;
      long sleep = Math.min(until, nextFlip) - now;
      Thread.sleep(Math.max(1, sleep / 1_000_000), 0);
    }
  }

  /** Prints the verdict and returns whether heap and threads stayed flat. */
  static boolean verdict(List<Sample> samples, Duration duration) {
    if (samples.size() < 2) {
      System.out.println("soak: VERDICT inconclusive: fewer than two samples");
      return false;
    }
    long total = samples.get(samples.size() - 1).seconds();
    long window = total >= 240 ? 60 : Math.max(1, total / 4);
    List<Sample> first = new ArrayList<>();
    List<Sample> last = new ArrayList<>();
    for (Sample s : samples) {
      if (s.seconds() <= window) {
        first.add(s);
      }
      if (s.seconds() >= total - window) {
        last.add(s);
      }
    }
    if (first.isEmpty()) {
      first.add(samples.get(0));
    }
    double firstHeap = median(first.stream().map(Sample::heapBytes).toList()) / 1048576.0;
    double lastHeap = median(last.stream().map(Sample::heapBytes).toList()) / 1048576.0;
    int firstThreads = first.get(0).threads();
    int lastThreads = last.get(last.size() - 1).threads();
    boolean heapFlat = lastHeap <= firstHeap * (1 + GROWTH_PERCENT / 100.0) + SLACK_MB;
    boolean threadsFlat = lastThreads <= firstThreads + THREAD_SLACK;
    System.out.printf("soak: first %ds: heap median %.1f MB, threads %d; last %ds: heap median %.1f MB, threads %d"
        + " (growth %+.1f%%)%n", window, firstHeap, firstThreads, window, lastHeap, lastThreads,
        firstHeap == 0 ? 0 : (lastHeap - firstHeap) * 100 / firstHeap);
    System.out.println("soak: VERDICT " + (heapFlat ? "heap flat" : "heap GREW") + ", "
        + (threadsFlat ? "threads flat" : "threads GREW") + " over " + total + " s");
    return heapFlat && threadsFlat;
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  private static Duration parse(String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      return Duration.parse(t);
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long amount = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("duration " + text + ": expected e.g. 1ms, 90s, 10m, 1h or PT10M");
    };
  }

  /**
   * The store: {@value #KEYS} keys held by a testkit in-memory backend, every read failing while
   * {@link #failing} is set, and each read taking the given latency as a network store would. Keys it
   * does not hold are answered here, not passed to the in-memory backend, whose per-key call counters would
   * otherwise grow with every distinct missing key and be mistaken for the resolver's growth.
   */
  private static final class FlappingStore implements SecretBackend {
    private final InMemorySecretBackend held = Fixtures.backend(KEYS);
    private final Set<String> keys = Set.copyOf(Fixtures.keys(KEYS));
    private final long latencyNanos;
    volatile boolean failing;

    FlappingStore(Duration latency) {
      this.latencyNanos = latency.toNanos();
    }

    @Override
    public String id() {
      return "flapping";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      try {
        if (latencyNanos > 0) {
          Thread.sleep(latencyNanos / 1_000_000, (int) (latencyNanos % 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendUnavailableException(id(), "interrupted while reading " + key, e);
      }
      if (failing) {
        throw new BackendUnavailableException(id(), "injected outage (soak test); it ends within "
            + FLAP_SECONDS / 2 + " s");
      }
      return keys.contains(key) ? held.fetch(key, version) : Optional.empty();
    }
  }
}
