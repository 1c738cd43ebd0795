package org.nexusreussite.secrets.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.BackendChangeListener;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe in-memory store for tests: numbered versions ({@code 1}, {@code 2}, ...), the stages
 * {@code current} and {@code previous}, rollback, change notifications, and fault injection (fail the
 * next N calls, added latency, call counters).
 *
 * <pre>{@code
 * InMemorySecretBackend vault = new InMemorySecretBackend("vault");
 * vault.put("DATABASE_URL", "postgres://...");
 * vault.failNext(2, () -> new BackendUnavailableException("vault", "connection refused"));
 * SecretResolver resolver = SecretResolver.builder().backend(vault, 300).build();
 * }</pre>
 */
public final class InMemorySecretBackend implements SecretBackend {

  /** Stage label of the version served by default. */
  public static final String CURRENT = "current";
  /** Stage label of the version served before the current one. */
  public static final String PREVIOUS = "previous";

  private record StoredVersion(String id, SecretValue value, Instant createdAt) {}

  private static final class History {
    final List<StoredVersion> versions = new ArrayList<>();
    int current = -1;
    int previous = -1;
  }

  private final String id;
  private final Set<Capability> capabilities;
  private final Clock clock;
  private final Map<String, History> store = new HashMap<>();
  private final List<BackendChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> fetchesByKey = new ConcurrentHashMap<>();
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong batchFetches = new AtomicLong();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  /** What an injected failure throws; the default names the backend and says it was injected. */
  private volatile Supplier<? extends RuntimeException> failure = this::storeUnreachable;
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration ttl = Duration.ZERO;
  private volatile boolean closed;
  private volatile VersionScope versionScope = VersionScope.KEY;
  private volatile @Nullable BackendHealth reported;
  private final AtomicLong healthProbes = new AtomicLong();
  private final AtomicInteger closeCalls = new AtomicInteger();

  /** A backend with every capability, timestamps from the system clock. */
  public InMemorySecretBackend(String id) {
    this(id, EnumSet.allOf(Capability.class), Clock.systemUTC());
  }

  /**
   * A backend with every capability, timestamps from {@code clock}: pass the resolver's clock (a
   * {@link ManualClock} in tests) so that fetch times line up with the resolver's refresh times.
   */
  public InMemorySecretBackend(String id, Clock clock) {
    this(id, EnumSet.allOf(Capability.class), clock);
  }

  /**
   * A backend with the given capabilities; the others throw {@code UnsupportedCapabilityException}.
   *
   * @param clock stamps {@code fetchedAt} and version creation times
   */
  public InMemorySecretBackend(String id, Set<Capability> capabilities, Clock clock) {
    this.id = Objects.requireNonNull(id, "id");
    this.capabilities = capabilities.isEmpty()
        ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---- seeding -----------------------------------------------------------------------------

  /**
   * Writes a new version of {@code key} and makes it current; returns its id. Notifies watchers.
   */
  public String put(String key, String value) {
    Keys.requireValid(key);
    Objects.requireNonNull(value, "value");
    String versionId;
    synchronized (store) {
      History history = store.computeIfAbsent(key, k -> new History());
      versionId = Integer.toString(history.versions.size() + 1);
      history.versions.add(new StoredVersion(versionId, SecretValue.of(value), clock.instant()));
      history.previous = history.current;
      history.current = history.versions.size() - 1;
    }
    notifyChanged(Set.of(key));
    return versionId;
  }

  /** Removes {@code key} and all its versions. Notifies watchers. */
  public void remove(String key) {
    boolean removed;
    synchronized (store) {
      removed = store.remove(key) != null;
    }
    if (removed) {
      notifyChanged(Set.of(key));
    }
  }

  /**
   * What its version ids identify (default {@link VersionScope#KEY}: each key has its own numbered
   * versions); {@link VersionScope#SOURCE} simulates a store that versions all keys together.
   */
  public InMemorySecretBackend versionScope(VersionScope scope) {
    this.versionScope = Objects.requireNonNull(scope, "scope");
    return this;
  }

  /**
   * The state {@link #reportedState()} returns from now on, e.g. DEGRADED for a lost watch; null for
   * none.
   */
  public InMemorySecretBackend reportState(@Nullable BackendHealth state) {
    this.reported = state;
    return this;
  }

  /** How many times {@link #health()} (the live probe) was called. */
  public long healthProbes() {
    return healthProbes.get();
  }

  /** A TTL hint attached to every secret served, {@link Duration#ZERO} for none. */
  public InMemorySecretBackend ttl(Duration value) {
    this.ttl = Objects.requireNonNull(value, "ttl");
    return this;
  }

  // ---- fault injection ---------------------------------------------------------------------

  /** The next {@code count} calls to fetch, fetchAll, versions, keys or rollback throw {@code failure}. */
  public InMemorySecretBackend failNext(int count, Supplier<? extends RuntimeException> failureSupplier) {
    this.failure = Objects.requireNonNull(failureSupplier, "failure");
    failuresLeft.set(count);
    return this;
  }

  /** The next {@code count} calls throw {@link BackendUnavailableException}. */
  public InMemorySecretBackend failNext(int count) {
    return failNext(count, this::storeUnreachable);
  }

  private RuntimeException storeUnreachable() {
    return new BackendUnavailableException(id, "injected failure: store unreachable");
  }

  /** Every call fails until {@link #recover()}. */
  public InMemorySecretBackend failAlways(Supplier<? extends RuntimeException> failureSupplier) {
    return failNext(Integer.MAX_VALUE, failureSupplier);
  }

  /** Stops injected failures. */
  public InMemorySecretBackend recover() {
    failuresLeft.set(0);
    return this;
  }

  /** Adds {@code delay} (really slept) to every call, to widen race windows in concurrency tests. */
  public InMemorySecretBackend latency(Duration delay) {
    this.latency = Objects.requireNonNull(delay, "latency");
    return this;
  }

  // ---- counters ----------------------------------------------------------------------------

  /** Calls to {@link #fetch} so far (all keys). */
  public long fetchCount() {
    return fetches.get();
  }

  /** Calls to {@link #fetch} for {@code key}, plus batches that included it. */
  public int fetchCount(String key) {
    AtomicInteger count = fetchesByKey.get(key);
    return count == null ? 0 : count.get();
  }

  /** Calls to {@link #fetchAll} so far. */
  public long fetchAllCount() {
    return batchFetches.get();
  }

  /** Resets all counters. */
  public void resetCounters() {
    fetches.set(0);
    batchFetches.set(0);
    fetchesByKey.clear();
  }

  /** Whether {@link #close()} was called. */
  public boolean closed() {
    return closed;
  }

  /** How many times {@link #close()} was called. */
  public int closeCount() {
    return closeCalls.get();
  }

  // ---- SecretBackend -----------------------------------------------------------------------

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public String describe() {
    return id + "[in-memory]";
  }

  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    fetches.incrementAndGet();
    fetchesByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    beforeCall();
    synchronized (store) {
      History history = store.get(key);
      if (history == null) {
        return Optional.empty();
      }
      int index = select(history, version);
      return index < 0 ? Optional.empty() : Optional.of(toSecret(key, history, index));
    }
  }

  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    batchFetches.incrementAndGet();
    keys.forEach(k -> fetchesByKey.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet());
    beforeCall();
    Map<String, Secret> found = new LinkedHashMap<>();
    synchronized (store) {
      for (String key : keys) {
        History history = store.get(key);
        if (history != null && history.current >= 0) {
          found.put(key, toSecret(key, history, history.current));
        }
      }
    }
    return found;
  }

  @Override
  public List<SecretVersion> versions(String key) {
    require(Capability.VERSIONS);
    beforeCall();
    synchronized (store) {
      History history = store.get(key);
      if (history == null) {
        return List.of();
      }
      List<SecretVersion> result = new ArrayList<>();
      for (int i = history.versions.size() - 1; i >= 0; i--) {
        result.add(toVersion(history, i));
      }
      return result;
    }
  }

  @Override
  public Set<String> keys() {
    require(Capability.LISTING);
    beforeCall();
    synchronized (store) {
      return Set.copyOf(new HashSet<>(store.keySet()));
    }
  }

  @Override
  public SecretVersion rollback(String key, SecretVersion toVersion) {
    require(Capability.ROLLBACK);
    beforeCall();
    SecretVersion now;
    synchronized (store) {
      History history = store.get(key);
      int index = history == null ? -1 : indexOf(history, toVersion.id());
      if (history == null || index < 0) {
        throw new SecretNotFoundException(key, "Version " + toVersion.id() + " of '" + key + "'",
            List.of(describe()));
      }
      if (index != history.current) {
        history.previous = history.current;
        history.current = index;
      }
      now = toVersion(history, index);
    }
    notifyChanged(Set.of(key));
    return now;
  }

  /**
   * Appends a version with check-and-set on the expected version (the current one when none is given), as
   * the stores do; a key is created only with {@link WriteOptions#createIfMissing()}.
   */
  @Override
  public SecretVersion write(String key, SecretValue value, WriteOptions options) {
    require(Capability.WRITE);
    beforeCall();
    SecretVersion now;
    synchronized (store) {
      History history = store.get(key);
      String current = history == null || history.current < 0 ? null : history.versions.get(history.current).id();
      String expected = options.expectedVersion().orElse(current);
      if (!Objects.equals(expected, current)) {
        throw new WriteConflictException(id, key, "in-memory store", expected, current);
      }
      if (history == null) {
        if (!options.createIfMissing()) {
          throw SecretNotFoundException.of(key, List.of(describe()));
        }
        history = store.computeIfAbsent(key, k -> new History());
      }
      String versionId = Integer.toString(history.versions.size() + 1);
      history.versions.add(new StoredVersion(versionId, value, clock.instant()));
      history.previous = history.current;
      history.current = history.versions.size() - 1;
      now = toVersion(history, history.current);
    }
    notifyChanged(Set.of(key));
    return now;
  }

  @Override
  public void watch(BackendChangeListener listener) {
    require(Capability.WATCH);
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public VersionScope versionScope() {
    return versionScope;
  }

  @Override
  public Optional<BackendHealth> reportedState() {
    return Optional.ofNullable(reported);
  }

  @Override
  public BackendHealth health() {
    healthProbes.incrementAndGet();
    if (closed) {
      return BackendHealth.down(id, "closed");
    }
    return failuresLeft.get() > 0
        ? BackendHealth.down(id, "injected failure") : BackendHealth.up(id, "in-memory");
  }

  @Override
  public void close() {
    closeCalls.incrementAndGet();
    closed = true;
    listeners.clear();
  }

  @Override
  public String toString() {
    synchronized (store) {
      return "InMemorySecretBackend[" + id + ", keys=" + store.size() + "]";
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private void require(Capability capability) {
    if (!capabilities.contains(capability)) {
      throw org.nexusreussite.secrets.UnsupportedCapabilityException.of(id, capability);
    }
  }

  private void beforeCall() {
    Duration delay = latency;
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendUnavailableException(id, "interrupted", e);
      }
    }
    if (failuresLeft.get() > 0 && failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw failure.get();
    }
  }

  private void notifyChanged(Set<String> keys) {
    for (BackendChangeListener listener : listeners) {
      listener.changed(keys);
    }
  }

  private static int select(History history, VersionSelector version) {
    if (version instanceof VersionSelector.Latest) {
      return history.current;
    }
    if (version instanceof VersionSelector.Previous) {
      return history.previous;
    }
    if (version instanceof VersionSelector.ById byId) {
      return indexOf(history, byId.versionId());
    }
    VersionSelector.ByStage byStage = (VersionSelector.ByStage) version;
    return switch (byStage.stage()) {
      case CURRENT -> history.current;
      case PREVIOUS -> history.previous;
      default -> -1;
    };
  }

  private static int indexOf(History history, String versionId) {
    for (int i = 0; i < history.versions.size(); i++) {
      if (history.versions.get(i).id().equals(versionId)) {
        return i;
      }
    }
    return -1;
  }

  private Secret toSecret(String key, History history, int index) {
    return new Secret(key, history.versions.get(index).value(), toVersion(history, index), id,
        clock.instant(), ttl);
  }

  private static SecretVersion toVersion(History history, int index) {
    StoredVersion stored = history.versions.get(index);
    Set<String> stages = index == history.current ? Set.of(CURRENT)
        : index == history.previous ? Set.of(PREVIOUS) : Set.of();
    return SecretVersion.of(stored.id(), stored.createdAt(), stages, index == history.current,
        SecretVersion.State.ENABLED);
  }
}
