package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretAdmin;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretGroupListener;
import org.nexusreussite.secrets.SecretInspector;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretRotationListener;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.ServedSecretListener;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.ValidationReport;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * The resolver: the read path and the one place where cache entries are written. The search policy is
 * {@link BackendChain}'s, the entry state machine {@link EntryPolicy}'s, time-based work
 * {@link RefreshScheduler}'s, listener dispatch {@link Notifications}', administration
 * {@link ResolverAdmin}'s and reports {@link ResolverInspector}'s.
 *
 * <p>The read path is {@code served.getIfPresent(key)} and a field read: the store ({@link EntryStore}) is
 * a plain map for the first reads and a Caffeine cache built with a size bound only from the first refresh
 * on, so a hit reads no clock, takes no lock and allocates nothing.
 *
 * <p>Concurrency: every write of an entry goes through {@code asMap().compute}, so two refreshes racing
 * for one key cannot both report a rotation (the second sees the first's result as the previous entry).
 * The entry replaced, or evicted by the size bound, is retired: its scheduled tasks are cancelled, so
 * nothing outlives the bound. Listeners are told after the compute, outside any lock.
 */
public final class CompositeSecretResolver implements SecretResolver, RefreshScheduler.Host {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");

  final Profile profile;
  final BackendChain chain;
  final EntryPolicy policy;
  final Set<String> required;
  final Clock clock;
  final Notifications notifications;
  final RefreshScheduler refresher;
  final ConcurrentMap<String, VersionSelector> pins = new ConcurrentHashMap<>();
  final EntryStore served;
  final ConcurrentMap<String, CacheEntry> servedMap;
  // a class, not this::load: a first lambda costs every application's start-up its bootstrap (issue 18)
  private final Function<String, CacheEntry> loader = new Function<>() {
    @Override
    public CacheEntry apply(String key) {
      return load(key);
    }
  };
  private final @Nullable AutoCloseable ownedScheduler;
  private final @Nullable AutoCloseable ownedWorkers;
  private final ResolverAdmin admin;
  private final GroupReads groups;
  private final ResolverInspector inspector;
  private volatile boolean closed;

  private CompositeSecretResolver(ResolverSettings settings, Assembly assembly) {
    this.profile = settings.profile();
    this.required = Collections.unmodifiableSet(new LinkedHashSet<>(assembly.required()));
    this.clock = settings.clock();
    this.policy = new EntryPolicy(settings.refreshInterval(), settings.maxStale(), settings.negativeTtl());
    this.notifications = new Notifications(settings.listeners());
    this.chain = new BackendChain(assembly.slots(), clock, notifications, settings.maximumSize(),
        settings.refreshInterval());
    // a plain map until the first refresh or a full map, then Caffeine (see EntryStore: start-up, issue 18)
    this.served = new EntryStore(settings.maximumSize(), EntryStore.retiring());
    this.servedMap = served.asMap();
    this.pins.putAll(assembly.pins());
    this.ownedScheduler = assembly.ownedScheduler();
    TaskScheduler timer = assembly.scheduler();
    Executor workers;
    if (ownedScheduler != null) {
      RefreshWorkers pool = new RefreshWorkers(assembly.slots().size() + 1);
      workers = pool;
      ownedWorkers = pool;
    } else {
      workers = timer::execute;
      ownedWorkers = null;
    }
    this.refresher = new RefreshScheduler(timer, workers, clock, policy, assembly.slots(), this);
    this.admin = new ResolverAdmin(this);
    this.groups = new GroupReads(this);
    this.inspector = new ResolverInspector(this, assembly.descriptions(), assembly.warnings());
  }

  /** Builds the backends, the resolver, and checks required secrets. */
  public static SecretResolver create(ResolverSettings settings) {
    Assembly assembly = Assembly.assemble(settings);
    CompositeSecretResolver resolver = new CompositeSecretResolver(settings, assembly);
    try {
      resolver.start();
    } catch (RuntimeException e) {
      resolver.close();
      throw e;
    }
    return resolver;
  }

  private void start() {
    for (BackendSlot slot : chain.slots()) {
      if (slot.backend.capabilities().contains(Capability.WATCH)) {
        slot.backend.watch(keys -> refresher.inLane(slot, () -> refresher.changed(slot, keys)));
      }
    }
    if (!required.isEmpty()) {
      ValidationReport report = inspector.validate();
      if (!report.valid()) {
        if (profile.strict()) {
          report.throwIfInvalid();
        }
        LOG.log(System.Logger.Level.WARNING, report.summary()
            + " (allowed in profile '" + profile.name() + "'; a strict profile would refuse to start)");
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public String resolve(String key) {
    CacheEntry e = served.getIfPresent(key);
    if (e != null) {
      String v = e.value;
      if (v != null) {
        return v;
      }
    }
    return valueOf(entry(key));
  }

  @Override
  public String resolve(String key, String defaultValue) {
    CacheEntry e = served.getIfPresent(key);
    if (e != null) {
      String v = e.value;
      if (v != null) {
        return v;
      }
    }
    e = entry(key);
    if (e.kind == CacheEntry.Kind.NOT_FOUND) {
      if (profile.strict() && required.contains(key)) {
        throw notFound(e); // a default in code must not stand in for a required production secret
      }
      return defaultValue;
    }
    return valueOf(e);
  }

  @Override
  public Optional<String> find(String key) {
    CacheEntry e = served.getIfPresent(key);
    if (e == null || e.value == null) {
      e = entry(key);
    }
    return e.kind == CacheEntry.Kind.NOT_FOUND ? Optional.empty() : Optional.of(valueOf(e));
  }

  @Override
  public Secret secret(String key) {
    return secretOf(entry(key));
  }

  @Override
  public Secret secret(String key, VersionSelector version) {
    Objects.requireNonNull(version, "version");
    if (version instanceof VersionSelector.Latest) {
      return secret(key);
    }
    return admin.version(key, version);
  }

  @Override
  public SecretGroup group(String... keys) {
    return groups.group(keys);
  }

  /**
   * A group for a group listener: from the cache when each backend's keys there came from one read, else
   * read again together (see {@link GroupReads}).
   */
  SecretGroup readGroup(List<String> keys) {
    return groups.group(keys.toArray(new String[0]));
  }

  /** The entry for a key, loading it on a miss; concurrent misses of one key share one load. */
  CacheEntry entry(String key) {
    Keys.requireValid(key);
    ensureOpen();
    CacheEntry e = served.get(key, loader);
    refresher.schedule(e);
    return e;
  }

  String valueOf(CacheEntry e) {
    String v = e.value;
    if (v != null) {
      return v;
    }
    SecretsException error = e.error;
    if (e.kind == CacheEntry.Kind.NOT_FOUND || error == null) {
      throw notFound(e);
    }
    throw error;
  }

  Secret secretOf(CacheEntry e) {
    valueOf(e);
    return Objects.requireNonNull(e.secret, "a served entry has its secret");
  }

  SecretNotFoundException notFound(CacheEntry e) {
    if (e.pinned()) {
      return new SecretNotFoundException(e.key, "Version " + e.selector.describe() + " of '" + e.key + "'",
          e.searched);
    }
    return SecretNotFoundException.of(e.key, e.searched.isEmpty() ? chain.searchOrder() : e.searched);
  }

  private CacheEntry load(String key) {
    VersionSelector selector = pins.getOrDefault(key, VersionSelector.latest());
    Outcome outcome = selector instanceof VersionSelector.Latest
        ? Outcome.of(chain.latest(List.of(key), true), key)
        : chain.pinned(key, selector);
    return policy.next(key, selector, outcome, null, clock.instant(), ThreadLocalRandom.current().nextDouble());
  }

  // ---------------------------------------------------------------- writing entries

  /**
   * Replaces a key's entry with the one that follows {@code outcome}, schedules it and records the
   * rotation, if any, in {@code rotations}. Returns the new entry, or null when the key was pinned or
   * unpinned meanwhile and {@code force} is false.
   */
  @Nullable CacheEntry apply(String key, VersionSelector selector, Outcome outcome, boolean force,
      List<SecretRotation> rotations) {
    Object[] seen = new Object[2];
    servedMap.compute(key, (k, prev) -> {
      if (!force && prev != null && EntryPolicy.keepsPrevious(prev, selector, outcome)) {
        return prev;
      }
      CacheEntry next = policy.next(k, selector, outcome, prev, clock.instant(),
          ThreadLocalRandom.current().nextDouble());
      seen[0] = prev;
      seen[1] = next;
      return next;
    });
    CacheEntry prev = (CacheEntry) seen[0];
    CacheEntry next = (CacheEntry) seen[1];
    if (next == null) {
      return null;
    }
    if (prev != null) {
      prev.retire();
    }
    refresher.schedule(next);
    notifications.transition(prev, next, policy.maxStale);
    Secret before = prev == null ? null : prev.secret;
    Secret after = next.kind == CacheEntry.Kind.VALUE ? next.secret : null;
    BackendSlot slot = next.slot;
    if (after != null && slot != null && EntryPolicy.isRotation(before, after, slot.backend.versionScope())) {
      rotations.add(new SecretRotation(key, before, after));
    }
    return next;
  }

  @Override
  public void expire(CacheEntry stale) {
    CacheEntry[] seen = new CacheEntry[1];
    servedMap.computeIfPresent(stale.key, (k, current) -> {
      if (current != stale) {
        return current;
      }
      seen[0] = EntryPolicy.expired(stale);
      return seen[0];
    });
    CacheEntry next = seen[0];
    if (next != null) {
      stale.retire();
      refresher.schedule(next);
      notifications.transition(stale, next, policy.maxStale);
    }
  }

  @Override
  public void refresh(List<CacheEntry> batch) {
    // refreshing starts: from now on Caffeine holds the entries (EntryStore)
    served.promoteIfPossible();
    long started = System.nanoTime();
    boolean succeeded = false;
    try {
      succeeded = refreshBatch(batch);
    } finally {
      BackendSlot slot = batch.isEmpty() ? null : batch.get(0).slot;
      notifications.refreshed(slot == null ? "none" : slot.id, batch.size(), succeeded, started);
    }
  }

  /** Returns false when a backend could not be asked for one of the keys. */
  private boolean refreshBatch(List<CacheEntry> batch) {
    List<SecretRotation> rotations = new ArrayList<>();
    List<String> latestKeys = new ArrayList<>();
    boolean succeeded = true;
    for (CacheEntry e : batch) {
      if (e.pinned()) {
        Outcome o = chain.pinned(e.key, e.selector);
        succeeded &= !o.isFailed();
        apply(e.key, e.selector, o, false, rotations);
      } else {
        latestKeys.add(e.key);
      }
    }
    if (!latestKeys.isEmpty()) {
      Map<String, Outcome> outcomes = chain.latest(latestKeys, false);
      for (String key : latestKeys) {
        Outcome o = Outcome.of(outcomes, key);
        succeeded &= !o.isFailed();
        apply(key, VersionSelector.latest(), o, false, rotations);
      }
    }
    notifications.rotated(rotations, this::readGroup);
    return succeeded;
  }

  // ---------------------------------------------------------------- subscriptions, accessors, lifecycle

  @Override
  public Subscription onRotation(String key, SecretRotationListener listener) {
    return notifications.onKey(Keys.requireValid(key), Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Subscription onRotation(SecretRotationListener listener) {
    return notifications.onAll(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Subscription onGroupRotation(Collection<String> keys, SecretGroupListener listener) {
    Objects.requireNonNull(listener, "listener");
    SecretGroup current = groups.group(Objects.requireNonNull(keys, "keys").toArray(new String[0]));
    return notifications.onGroup(current.keys(), listener, current);
  }

  @Override
  public Subscription onServe(ServedSecretListener listener) {
    return notifications.onServe(Objects.requireNonNull(listener, "listener"), servedMap.values());
  }

  @Override
  public void served(CacheEntry e) {
    notifications.served(e);
  }

  GroupReads groups() {
    return groups;
  }

  @Override
  public SecretAdmin admin() {
    return admin;
  }

  @Override
  public SecretInspector inspect() {
    return inspector;
  }

  @Override
  public ConcurrentMap<String, CacheEntry> entries() {
    return servedMap;
  }

  @Override
  public boolean closed() {
    return closed;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("This SecretResolver is closed");
    }
  }

  /** Runs Caffeine's pending maintenance (evictions); for tests of the size bound. */
  void cleanUp() {
    served.cleanUp();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CacheEntry e : servedMap.values()) {
      e.retire();
    }
    servedMap.clear();
    closeQuietly(ownedWorkers, "refresh workers");
    closeQuietly(ownedScheduler, "refresh scheduler");
    for (BackendSlot slot : chain.slots()) {
      try {
        slot.backend.close();
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "Backend ''{0}'' failed to close: {1}", slot.id,
            ex.getClass().getName());
      }
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c, String what) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ex) {
      LOG.log(System.Logger.Level.WARNING, "Could not stop the " + what + ": " + ex.getClass().getName());
    }
  }

  @Override
  public String toString() {
    return "SecretResolver[profile=" + profile.name() + ", backends=" + chain.searchOrder() + "]";
  }
}
