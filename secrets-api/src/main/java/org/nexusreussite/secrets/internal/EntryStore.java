package org.nexusreussite.secrets.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.RemovalListener;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The resolver's store of entries: a plain {@link ConcurrentHashMap} for the first reads, promoted to a
 * Caffeine cache bounded by {@code maximumSize} when the first refresh runs or when the plain map is full,
 * whichever comes first.
 *
 * <p>Why: building the first Caffeine cache costs a JVM about 45 ms (its classes, its generated node
 * types, method handles), more than the whole read of a {@code .env} (issue 18). An application that reads
 * its secrets at start-up and exits (a CLI, a serverless function, a batch job) never needs it; a long-lived
 * one gets Caffeine within one refresh interval. The plain map never holds more than
 * {@code min(maximumSize, PLAIN_LIMIT)} keys (plus at most one per thread inserting at the same instant):
 * a new key beyond that promotes first, and Caffeine's size bound then applies. Nothing is evicted from
 * the plain map, so no entry is lost or retired by the promotion.
 *
 * <p>Concurrency: reads take no lock in either phase. While plain, every write holds the read side of a
 * {@link ReentrantReadWriteLock} (writes run concurrently, as the map allows); the promotion holds the
 * write side, so it copies a map no write changes and no write is lost on the way. After the promotion,
 * writes go straight to Caffeine's map without the lock. A promotion is never started by a thread that
 * holds the read side (a loader or remapping function writing again), so it cannot deadlock on itself;
 * such a thread leaves it to the next write. The promotion at the first refresh only tries the lock and
 * leaves it to the next refresh when a load is in flight, so a refresh never waits for a load. Single flight is kept in both phases: a miss loads with
 * {@code computeIfAbsent} on the plain map, with {@code Cache.get} on Caffeine.
 */
final class EntryStore {
  /** The most keys the plain map holds before a new key promotes the store. */
  static final int PLAIN_LIMIT = 256;

  private final long maximumSize;
  private final int plainLimit;
  private final RemovalListener<String, CacheEntry> onEviction;
  private final ReentrantReadWriteLock promotion = new ReentrantReadWriteLock();
  private final MapView view = new MapView();
  /** Non-null until promoted; never written after the promotion copied it. */
  private volatile @Nullable ConcurrentHashMap<String, CacheEntry> plain = new ConcurrentHashMap<>();
  /** Null until promoted; set once. */
  private volatile @Nullable Cache<String, CacheEntry> cache;
  private volatile @Nullable ConcurrentMap<String, CacheEntry> cacheMap;

  /**
   * A store.
   *
   * @param onEviction told of every entry Caffeine evicts by size (never of a replaced or removed one)
   */
  EntryStore(long maximumSize, RemovalListener<String, CacheEntry> onEviction) {
    this.maximumSize = maximumSize;
    this.plainLimit = (int) Math.min(maximumSize, PLAIN_LIMIT);
    this.onEviction = onEviction;
  }

  /** The entry of {@code key}, or null; no lock, no allocation. */
  @Nullable CacheEntry getIfPresent(String key) {
    Cache<String, CacheEntry> c = cache;
    if (c != null) {
      return c.getIfPresent(key);
    }
    ConcurrentHashMap<String, CacheEntry> p = plain;
    if (p != null) {
      return p.get(key);
    }
    // promoted between the two reads: cache is set before plain is cleared
    return promoted().getIfPresent(key);
  }

  /** The entry of {@code key}, loaded by {@code loader} on a miss; concurrent misses of a key share one load. */
  CacheEntry get(String key, Function<String, CacheEntry> loader) {
    Cache<String, CacheEntry> c = cache;
    if (c == null) {
      ReentrantReadWriteLock.ReadLock shared = promotion.readLock();
      shared.lock();
      try {
        ConcurrentHashMap<String, CacheEntry> p = plain;
        if (p != null) {
          CacheEntry e = p.get(key);
          if (e != null) {
            return e;
          }
          // a nested write (a loader reading another key) stays plain: it cannot promote under its own lock
          if (p.size() < plainLimit || promotion.getReadHoldCount() > 1) {
            return p.computeIfAbsent(key, loader);
          }
        }
      } finally {
        shared.unlock();
      }
      c = promote();
    }
    return c.get(key, loader);
  }

  /** The entries as a concurrent map; writes through it follow the same rules as {@link #get}. */
  ConcurrentMap<String, CacheEntry> asMap() {
    return view;
  }

  /** Whether the store is Caffeine now; for tests and reports. */
  boolean isPromoted() {
    return cache != null;
  }

  /**
   * Moves every entry into a new Caffeine cache and serves from it from now on, unless a plain-map write
   * is in flight (a load asking a store): then nothing happens and null is returned, and the next refresh
   * tries again. Never waits: a refresh thread must not wait for a load whose listener may be waiting for
   * that refresh. Returns the cache when already promoted.
   */
  @Nullable Cache<String, CacheEntry> promoteIfPossible() {
    Cache<String, CacheEntry> c = cache;
    if (c != null) {
      return c;
    }
    if (promotion.getReadHoldCount() > 0) {
      return null;
    }
    ReentrantReadWriteLock.WriteLock exclusive = promotion.writeLock();
    if (!exclusive.tryLock()) {
      return null;
    }
    try {
      return promoteLocked();
    } finally {
      exclusive.unlock();
    }
  }

  /**
   * Promotes, waiting for the plain-map writes in flight to end; for a write that finds the plain map
   * full, which must not add beyond the bound.
   */
  private Cache<String, CacheEntry> promote() {
    Cache<String, CacheEntry> c = cache;
    if (c != null) {
      return c;
    }
    if (promotion.getReadHoldCount() > 0) {
      // a loader or remapping function writing again: promoting here would wait for itself
      throw new IllegalStateException("The secrets store cannot grow from inside one of its own writes");
    }
    ReentrantReadWriteLock.WriteLock exclusive = promotion.writeLock();
    exclusive.lock();
    try {
      return promoteLocked();
    } finally {
      exclusive.unlock();
    }
  }

  /** The promotion itself; the caller holds the write lock, so no plain-map write runs meanwhile. */
  private Cache<String, CacheEntry> promoteLocked() {
    Cache<String, CacheEntry> c = cache;
    if (c != null) {
      return c;
    }
    ConcurrentHashMap<String, CacheEntry> p = plain;
    c = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        // an evicted entry's scheduled tasks must not keep it (and its key) alive past the size bound
        .evictionListener(onEviction)
        .build();
    if (p != null) {
      c.putAll(p);
    }
    // order matters: readers see cacheMap only once it holds every entry, and cache before plain is gone
    cacheMap = c.asMap();
    cache = c;
    plain = null;
    return c;
  }

  private Cache<String, CacheEntry> promoted() {
    return java.util.Objects.requireNonNull(cache, "promoted");
  }

  /** Runs Caffeine's pending maintenance (evictions), if promoted. */
  void cleanUp() {
    Cache<String, CacheEntry> c = cache;
    if (c != null) {
      c.cleanUp();
    }
  }

  /** Number of entries now (Caffeine's estimate once promoted). */
  long size() {
    Cache<String, CacheEntry> c = cache;
    if (c != null) {
      return c.estimatedSize();
    }
    ConcurrentHashMap<String, CacheEntry> p = plain;
    return p != null ? p.size() : promoted().estimatedSize();
  }

  /** The map reads see now: Caffeine's once promoted, else the plain one. */
  private ConcurrentMap<String, CacheEntry> current() {
    // cacheMap is set only once it holds every entry, before plain is cleared
    ConcurrentMap<String, CacheEntry> m = cacheMap;
    if (m != null) {
      return m;
    }
    ConcurrentHashMap<String, CacheEntry> p = plain;
    return p != null ? p : java.util.Objects.requireNonNull(cacheMap, "promoted");
  }

  /**
   * Runs a write on the plain map under the shared lock, or on Caffeine's once promoted. {@code grows}
   * says the write may add {@code key}: when the plain map is full it promotes first.
   */
  private @Nullable Object write(String key, boolean grows, Write op) {
    if (cache == null) {
      ReentrantReadWriteLock.ReadLock shared = promotion.readLock();
      shared.lock();
      try {
        ConcurrentHashMap<String, CacheEntry> p = plain;
        if (p != null && (!grows || p.size() < plainLimit || p.containsKey(key)
            || promotion.getReadHoldCount() > 1)) {
          return op.apply(p);
        }
      } finally {
        shared.unlock();
      }
      promote();
    }
    return op.apply(java.util.Objects.requireNonNull(cacheMap, "promoted"));
  }

  /** One write on whichever map is current; a class, not a lambda, so no lambda bootstrap at start-up. */
  private interface Write {
    @Nullable Object apply(ConcurrentMap<String, CacheEntry> map);
  }

  /** The store as a ConcurrentMap: reads see the current map; writes go through {@link #write}. */
  private final class MapView extends AbstractMap<String, CacheEntry> implements ConcurrentMap<String, CacheEntry> {
    @Override
    public @Nullable CacheEntry get(Object key) {
      return current().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return current().containsKey(key);
    }

    @Override
    public int size() {
      return current().size();
    }

    @Override
    public boolean isEmpty() {
      return current().isEmpty();
    }

    @Override
    public Set<Entry<String, CacheEntry>> entrySet() {
      return current().entrySet();
    }

    @Override
    public Set<String> keySet() {
      return current().keySet();
    }

    @Override
    public Collection<CacheEntry> values() {
      return current().values();
    }

    @Override
    public @Nullable CacheEntry put(String key, CacheEntry value) {
      return (CacheEntry) write(key, true, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.put(key, value);
        }
      });
    }

    @Override
    public @Nullable CacheEntry putIfAbsent(String key, CacheEntry value) {
      return (CacheEntry) write(key, true, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.putIfAbsent(key, value);
        }
      });
    }

    @Override
    public @Nullable CacheEntry remove(Object key) {
      return (CacheEntry) write(String.valueOf(key), false, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.remove(key);
        }
      });
    }

    @Override
    public boolean remove(Object key, Object value) {
      return Boolean.TRUE.equals(write(String.valueOf(key), false, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.remove(key, value);
        }
      }));
    }

    @Override
    public boolean replace(String key, CacheEntry oldValue, CacheEntry newValue) {
      return Boolean.TRUE.equals(write(key, false, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.replace(key, oldValue, newValue);
        }
      }));
    }

    @Override
    public @Nullable CacheEntry replace(String key, CacheEntry value) {
      return (CacheEntry) write(key, false, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.replace(key, value);
        }
      });
    }

    @Override
    public @Nullable CacheEntry compute(String key,
        BiFunction<? super String, ? super @Nullable CacheEntry, ? extends @Nullable CacheEntry> remapping) {
      return (CacheEntry) write(key, true, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.compute(key, remapping);
        }
      });
    }

    @Override
    public @Nullable CacheEntry computeIfPresent(String key,
        BiFunction<? super String, ? super CacheEntry, ? extends @Nullable CacheEntry> remapping) {
      return (CacheEntry) write(key, false, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.computeIfPresent(key, remapping);
        }
      });
    }

    @Override
    public CacheEntry computeIfAbsent(String key, Function<? super String, ? extends CacheEntry> mapping) {
      return (CacheEntry) java.util.Objects.requireNonNull(write(key, true, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          return map.computeIfAbsent(key, mapping);
        }
      }), "computeIfAbsent gives the entry");
    }

    @Override
    public void clear() {
      write("", false, new Write() {
        @Override
        public @Nullable Object apply(ConcurrentMap<String, CacheEntry> map) {
          map.clear();
          return null;
        }
      });
    }

    @Override
    public void putAll(Map<? extends String, ? extends CacheEntry> m) {
      for (Map.Entry<? extends String, ? extends CacheEntry> e : m.entrySet()) {
        put(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * The listener the resolver gives: an entry evicted by size is retired (its scheduled tasks cancelled).
   * A class rather than a lambda: it is created with every resolver, at start-up.
   */
  static RemovalListener<String, CacheEntry> retiring() {
    return new RemovalListener<>() {
      @Override
      public void onRemoval(@Nullable String key, @Nullable CacheEntry value, RemovalCause cause) {
        if (value != null) {
          value.retire();
        }
      }
    };
  }
}
