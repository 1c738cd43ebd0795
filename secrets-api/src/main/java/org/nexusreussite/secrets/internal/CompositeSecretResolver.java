package org.nexusreussite.secrets.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretRotationListener;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.SecretsListener;
import org.nexusreussite.secrets.ValidationReport;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * The resolver: backends in search order, a Caffeine store of what is served per key, and a scheduler
 * that refreshes each entry when it is due.
 *
 * <p>The read path is {@code served.getIfPresent(key)} and a field read. Caffeine is built with a size
 * bound only, no time-based policy, so a hit reads no clock. Everything time-based (refresh, max-stale,
 * negative TTL, retry backoff) is decided when an entry is written and carried out by a scheduled task.
 *
 * <p>Updates to an entry go through {@code asMap().compute}, so two refreshes racing for one key cannot
 * both report a rotation: the second sees the first's result as the previous value.
 */
public final class CompositeSecretResolver implements SecretResolver {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");
  private static final System.Logger AUDIT = System.getLogger("org.nexusreussite.secrets.audit");
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
  /** Refresh times are spread over the last tenth of the interval so a fleet does not stampede. */
  private static final double JITTER = 0.10;

  private final Profile profile;
  private final List<BackendSlot> slots;
  private final List<String> searchOrder;
  private final List<ResolverDescription.BackendDescription> descriptions;
  private final Set<String> required;
  private final List<String> warnings;
  private final Duration refreshInterval;
  private final Duration maxStale;
  private final Duration negativeTtl;
  private final Clock clock;
  private final TaskScheduler scheduler;
  private final AutoCloseable ownedScheduler;
  private final List<SecretsListener> listeners;
  private final Cache<String, CacheEntry> served;
  private final ConcurrentMap<String, CacheEntry> servedMap;
  /** Older versions and stages read on request; built on first use, which most applications never make. */
  private volatile Cache<VersionedKey, Secret> versioned;
  private final ConcurrentMap<String, VersionSelector> pins = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<SecretRotationListener>> keyListeners = new ConcurrentHashMap<>();
  private final List<SecretRotationListener> globalListeners = new CopyOnWriteArrayList<>();
  private final Function<String, CacheEntry> loader = this::load;
  private volatile boolean closed;

  private record VersionedKey(String key, VersionSelector selector) {}

  CompositeSecretResolver(ResolverSettings settings, Assembly assembly) {
    this.profile = settings.profile();
    this.slots = assembly.slots();
    this.descriptions = assembly.descriptions();
    this.warnings = assembly.warnings();
    this.required = Collections.unmodifiableSet(new LinkedHashSet<>(assembly.required()));
    this.refreshInterval = settings.refreshInterval();
    this.maxStale = settings.maxStale();
    this.negativeTtl = settings.negativeTtl();
    this.clock = settings.clock();
    this.scheduler = assembly.scheduler();
    this.ownedScheduler = assembly.ownedScheduler();
    this.listeners = settings.listeners();
    List<String> order = new ArrayList<>();
    for (BackendSlot slot : slots) {
      order.add(slot.description);
    }
    this.searchOrder = List.copyOf(order);
    this.served = Caffeine.newBuilder().maximumSize(settings.maximumSize()).build();
    this.servedMap = served.asMap();
    this.pins.putAll(assembly.pins());
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
    for (BackendSlot slot : slots) {
      if (slot.backend.capabilities().contains(Capability.WATCH)) {
        slot.backend.watch(keys -> scheduler.execute(() -> onBackendChange(slot, keys)));
      }
    }
    if (!required.isEmpty()) {
      ValidationReport report = validate();
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
        // a default in code must not stand in for a required production secret
        throw notFound(e);
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
    if (e.kind == CacheEntry.Kind.NOT_FOUND) {
      return Optional.empty();
    }
    return Optional.of(valueOf(e));
  }

  @Override
  public Secret secret(String key) {
    CacheEntry e = entry(key);
    valueOf(e);
    return e.secret;
  }

  @Override
  public Secret secret(String key, VersionSelector version) {
    Objects.requireNonNull(version, "version");
    if (version instanceof VersionSelector.Latest) {
      return secret(key);
    }
    BackendSlot slot = servingSlot(key);
    Secret s = versioned().get(new VersionedKey(key, version), vk -> fetchVersion(slot, key, version));
    if (s == null) {
      throw new SecretNotFoundException(key, "Version " + version.describe() + " of '" + key + "'",
          List.of(slot.description));
    }
    return s;
  }

  private Cache<VersionedKey, Secret> versioned() {
    Cache<VersionedKey, Secret> cache = versioned;
    if (cache == null) {
      synchronized (this) {
        cache = versioned;
        if (cache == null) {
          cache = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(refreshInterval).build();
          versioned = cache;
        }
      }
    }
    return cache;
  }

  private void invalidateVersions() {
    Cache<VersionedKey, Secret> cache = versioned;
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  private Secret fetchVersion(BackendSlot slot, String key, VersionSelector version) {
    try {
      Optional<Secret> s = slot.backend.fetch(key, version);
      slot.succeeded(clock.instant());
      audit(key, slot.id, s.isPresent() ? "found " + version.describe() : "version not found");
      return s.orElse(null);
    } catch (RuntimeException ex) {
      SecretsException err = asSecretsException(slot, ex);
      if (!(err instanceof org.nexusreussite.secrets.UnsupportedCapabilityException)) {
        backendFailed(slot, err);
      }
      throw err;
    }
  }

  @Override
  public List<SecretVersion> versions(String key) {
    BackendSlot slot = servingSlot(key);
    try {
      return List.copyOf(slot.backend.versions(key));
    } catch (RuntimeException ex) {
      throw asSecretsException(slot, ex);
    }
  }

  private BackendSlot servingSlot(String key) {
    CacheEntry e = entry(key);
    if (e.slot == null) {
      throw notFound(e);
    }
    return e.slot;
  }

  /** The entry for a key, loading it on a miss; concurrent misses of one key share one load. */
  private CacheEntry entry(String key) {
    Keys.requireValid(key);
    ensureOpen();
    CacheEntry e = served.get(key, loader);
    if (e.scheduled.compareAndSet(false, true)) {
      scheduleNext(e);
    }
    return e;
  }

  private String valueOf(CacheEntry e) {
    switch (e.kind) {
      case VALUE:
        return e.value;
      case NOT_FOUND:
        throw notFound(e);
      default:
        throw e.error;
    }
  }

  private SecretNotFoundException notFound(CacheEntry e) {
    if (e.pinned()) {
      return new SecretNotFoundException(e.key, "Version " + e.selector.describe() + " of '" + e.key + "'",
          e.searched);
    }
    return SecretNotFoundException.of(e.key, e.searched.isEmpty() ? searchOrder : e.searched);
  }

  private CacheEntry load(String key) {
    VersionSelector selector = pins.getOrDefault(key, VersionSelector.latest());
    Outcome outcome = selector instanceof VersionSelector.Latest
        ? resolveMany(List.of(key)).get(key)
        : resolvePinned(key, selector);
    return toEntry(key, selector, outcome, null, clock.instant());
  }

  // ---------------------------------------------------------------- asking backends

  /** Asks the backends in order for the latest value of each key; one call per backend for all keys. */
  private Map<String, Outcome> resolveMany(List<String> keys) {
    Map<String, Outcome> out = new LinkedHashMap<>();
    Set<String> remaining = new LinkedHashSet<>(keys);
    Map<String, Map<String, String>> reasons = new LinkedHashMap<>();
    for (String key : keys) {
      reasons.put(key, new LinkedHashMap<>());
    }
    List<String> searched = new ArrayList<>();
    for (BackendSlot slot : slots) {
      if (remaining.isEmpty()) {
        break;
      }
      long started = System.nanoTime();
      Map<String, Secret> found;
      try {
        found = fetchLatest(slot, remaining);
        slot.succeeded(clock.instant());
      } catch (RuntimeException ex) {
        SecretsException err = asSecretsException(slot, ex);
        backendFailed(slot, err);
        searched.add(slot.description);
        for (String key : remaining) {
          reasons.get(key).put(slot.id, reasonOf(err));
          out.put(key, Outcome.failed(err, slot, reasons.get(key), searched));
          lookup(key, slot.id, SecretsListener.Outcome.ERROR, started);
        }
        // never fall through to a lower backend on error: it could serve a developer's value in production
        remaining.clear();
        break;
      }
      searched.add(slot.description);
      for (String key : remaining) {
        Secret s = found.get(key);
        if (s != null) {
          out.put(key, Outcome.found(s, slot));
          lookup(key, slot.id, SecretsListener.Outcome.FOUND, started);
        } else {
          reasons.get(key).put(slot.id, "not found");
        }
      }
      remaining.removeAll(found.keySet());
    }
    for (String key : remaining) {
      out.put(key, Outcome.notFound(reasons.get(key), List.copyOf(searched)));
      lookup(key, "none", SecretsListener.Outcome.NOT_FOUND, System.nanoTime());
    }
    return out;
  }

  private static Map<String, Secret> fetchLatest(BackendSlot slot, Set<String> keys) {
    if (keys.size() == 1) {
      String key = keys.iterator().next();
      Optional<Secret> s = slot.backend.fetch(key, VersionSelector.latest());
      return s.isPresent() ? Map.of(key, s.get()) : Map.of();
    }
    return slot.backend.fetchAll(List.copyOf(keys));
  }

  /** A pinned version comes from the backend that serves the key's latest value. */
  private Outcome resolvePinned(String key, VersionSelector selector) {
    Outcome latest = resolveMany(List.of(key)).get(key);
    if (!latest.isFound()) {
      return latest;
    }
    BackendSlot slot = latest.slot();
    try {
      Optional<Secret> s = slot.backend.fetch(key, selector);
      slot.succeeded(clock.instant());
      if (s.isEmpty()) {
        return Outcome.notFound(Map.of(slot.id, "version " + selector.describe() + " not found"),
            List.of(slot.description));
      }
      return Outcome.found(s.get(), slot);
    } catch (RuntimeException ex) {
      SecretsException err = asSecretsException(slot, ex);
      backendFailed(slot, err);
      return Outcome.failed(err, slot, Map.of(slot.id, reasonOf(err)), List.of(slot.description));
    }
  }

  private static SecretsException asSecretsException(BackendSlot slot, RuntimeException ex) {
    if (ex instanceof SecretsException se) {
      return se;
    }
    // a foreign exception's message may quote what the store sent back: keep it as the cause only
    return new BackendUnavailableException(slot.id, "Backend '" + slot.description + "' failed with "
        + ex.getClass().getName() + "; check its configuration and connectivity (cause attached)", ex);
  }

  private static String reasonOf(SecretsException err) {
    if (err instanceof BackendAuthenticationException) {
      return "denied: " + err.getMessage();
    }
    if (err instanceof BackendUnavailableException) {
      return "unreachable: " + err.getMessage();
    }
    return err.getMessage();
  }

  // ---------------------------------------------------------------- writing entries

  private CacheEntry toEntry(String key, VersionSelector selector, Outcome o, CacheEntry prev, Instant now) {
    if (o.isFound()) {
      return CacheEntry.value(o.secret(), o.slot(), selector, now.plus(refreshDelay(o.secret())));
    }
    if (!o.isFailed()) {
      return CacheEntry.notFound(key, selector, o.reasons(), o.searched(), now.plus(negativeTtl));
    }
    int failures = prev == null ? 1 : prev.failures + 1;
    Instant retryAt = now.plus(backoff(failures));
    Secret lastGood = prev == null ? null : prev.secret;
    if (prev != null && prev.kind == CacheEntry.Kind.VALUE
        && !lastGood.fetchedAt().plus(maxStale).isBefore(now)) {
      return CacheEntry.stale(prev, o.error(), retryAt);
    }
    return CacheEntry.failed(key, lastGood, o.slot(), selector, o.error(), o.reasons(), o.searched(), failures,
        retryAt);
  }

  private Duration refreshDelay(Secret secret) {
    Duration base = refreshInterval;
    if (!secret.ttl().isZero() && secret.ttl().compareTo(base) < 0) {
      base = secret.ttl();
    }
    long nanos = base.toNanos();
    long spread = (long) (nanos * JITTER * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(Math.max(1, nanos - spread));
  }

  private static Duration backoff(int failures) {
    long millis = MIN_BACKOFF.toMillis() << Math.min(failures - 1, 10);
    millis = Math.min(millis, MAX_BACKOFF.toMillis());
    // full jitter between half and all of it
    millis = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    return Duration.ofMillis(millis);
  }

  /**
   * Replaces a key's entry with the outcome of asking the backends. Returns the new entry, or null when
   * the entry was re-pinned meanwhile and {@code force} is false.
   */
  private CacheEntry apply(String key, VersionSelector selector, Outcome outcome, boolean force) {
    CacheEntry[] seen = new CacheEntry[2];
    servedMap.compute(key, (k, prev) -> {
      if (!force && prev != null && !Objects.equals(prev.selector, selector)) {
        return prev;
      }
      CacheEntry next = toEntry(k, selector, outcome, prev, clock.instant());
      seen[0] = prev;
      seen[1] = next;
      return next;
    });
    CacheEntry prev = seen[0];
    CacheEntry next = seen[1];
    if (next == null) {
      return null;
    }
    if (prev != null) {
      prev.cancelTask();
    }
    if (next.scheduled.compareAndSet(false, true)) {
      scheduleNext(next);
    }
    if (next.kind == CacheEntry.Kind.VALUE && next.stale() && (prev == null || !prev.stale())) {
      LOG.log(System.Logger.Level.WARNING, "Serving cached secret ''{0}'' from {1} while the backend fails "
          + "(up to {2} old): {3}", key, next.slot.id, Durations.format(maxStale), next.error.getMessage());
    }
    if (next.kind == CacheEntry.Kind.FAILED && prev != null && prev.kind == CacheEntry.Kind.VALUE) {
      LOG.log(System.Logger.Level.ERROR, "Secret ''{0}'' is older than max-stale ({1}) and its backend still "
          + "fails: reads now throw until it recovers: {2}", key, Durations.format(maxStale),
          next.error.getMessage());
    }
    fireIfChanged(prev, next);
    return next;
  }

  private void scheduleNext(CacheEntry e) {
    if (closed) {
      return;
    }
    Duration delay = Duration.between(clock.instant(), e.refreshDue);
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    e.task = scheduler.schedule(() -> onDue(e), delay);
  }

  private void onDue(CacheEntry e) {
    if (closed || servedMap.get(e.key) != e) {
      return; // replaced, evicted or closed meanwhile
    }
    if (e.kind == CacheEntry.Kind.NOT_FOUND) {
      servedMap.remove(e.key, e);
      return;
    }
    List<CacheEntry> batch = new ArrayList<>();
    // one collector per backend at a time: two tasks due together on the two scheduler threads would
    // otherwise each claim part of the entries and send two requests (the read path never takes this lock)
    synchronized (e.slot != null ? e.slot : e) {
      if (!e.refreshing.compareAndSet(false, true)) {
        return; // a batch running on another scheduler thread already took this entry along
      }
      // entries due within half an interval go along: entries loaded at different times then line up
      // after one or two rounds (a fifth of an interval left groups that drifted together only slowly)
      Instant horizon = clock.instant().plus(refreshInterval.dividedBy(2));
      batch.add(e);
      if (!e.pinned() && e.slot != null) {
        // entries from the same backend that are nearly due go along, so a backend that serves many keys
        // per request (a Vault path, an AWS JSON secret) is asked once per refresh rather than once per key;
        // claiming them keeps their own due tasks, firing on the other thread meanwhile, from asking again
        for (CacheEntry other : servedMap.values()) {
          if (other != e && other.slot == e.slot && !other.pinned() && other.kind != CacheEntry.Kind.NOT_FOUND
              && !other.refreshDue.isAfter(horizon) && other.refreshing.compareAndSet(false, true)) {
            batch.add(other);
          }
        }
      }
    }
    try {
      refreshEntries(batch);
    } finally {
      for (CacheEntry b : batch) {
        if (servedMap.get(b.key) == b) {
          // not replaced (the batch threw): release it and retry after the shortest backoff
          b.refreshing.set(false);
          if (!closed) {
            b.task = scheduler.schedule(() -> onDue(b), MIN_BACKOFF);
          }
        }
      }
    }
  }

  private void refreshEntries(List<CacheEntry> batch) {
    List<String> latestKeys = new ArrayList<>();
    for (CacheEntry e : batch) {
      if (e.pinned()) {
        apply(e.key, e.selector, resolvePinned(e.key, e.selector), false);
      } else {
        latestKeys.add(e.key);
      }
    }
    if (!latestKeys.isEmpty()) {
      Map<String, Outcome> outcomes = resolveMany(latestKeys);
      for (String key : latestKeys) {
        apply(key, VersionSelector.latest(), outcomes.get(key), false);
      }
    }
  }

  private void onBackendChange(BackendSlot slot, Set<String> keys) {
    if (closed) {
      return;
    }
    List<CacheEntry> batch = new ArrayList<>();
    for (CacheEntry e : servedMap.values()) {
      boolean concerned = keys.isEmpty() ? e.slot == slot : keys.contains(e.key);
      if (!concerned) {
        continue;
      }
      if (e.kind == CacheEntry.Kind.NOT_FOUND) {
        servedMap.remove(e.key, e); // it may exist now: the next read asks again
      } else {
        batch.add(e);
      }
    }
    if (!batch.isEmpty()) {
      refreshEntries(batch);
    }
  }

  // ---------------------------------------------------------------- pins, rollback, refresh

  @Override
  public Secret pin(String key, String versionId) {
    Keys.requireValid(key);
    VersionSelector selector = VersionSelector.parse(Objects.requireNonNull(versionId, "versionId"));
    if (selector instanceof VersionSelector.Latest) {
      unpin(key);
      return secret(key);
    }
    BackendSlot slot = servingSlot(key);
    Secret s = secret(key, selector);
    pins.put(key, selector);
    apply(key, selector, Outcome.found(s, slot), true);
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' pinned to version {1} of {2}", key,
        selector.describe(), slot.id);
    return s;
  }

  @Override
  public void unpin(String key) {
    Keys.requireValid(key);
    if (pins.remove(key) == null) {
      return;
    }
    apply(key, VersionSelector.latest(), resolveMany(List.of(key)).get(key), true);
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' unpinned: serving the latest version", key);
  }

  @Override
  public Map<String, String> pins() {
    Map<String, String> out = new LinkedHashMap<>();
    pins.forEach((k, v) -> out.put(k, v.describe()));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Secret rollback(String key, RollbackScope scope) {
    Objects.requireNonNull(scope, "scope");
    CacheEntry e = entry(key);
    valueOf(e);
    BackendSlot slot = e.slot;
    List<SecretVersion> history = versions(key);
    if (scope == RollbackScope.LOCAL) {
      SecretVersion target = versionBefore(history, e.secret.version().id(), key, slot);
      return pin(key, target.id());
    }
    String currentId = history.stream().filter(SecretVersion::current).map(SecretVersion::id).findFirst()
        .orElse(history.isEmpty() ? e.secret.version().id() : history.get(0).id());
    SecretVersion target = versionBefore(history, currentId, key, slot);
    try {
      slot.backend.rollback(key, target);
    } catch (RuntimeException ex) {
      throw asSecretsException(slot, ex);
    }
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' rolled back in {1} to the value of version {2}", key,
        slot.id, target.id());
    invalidateVersions();
    if (pins.remove(key) != null) {
      LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' unpinned by the backend rollback", key);
    }
    apply(key, VersionSelector.latest(), resolveMany(List.of(key)).get(key), true);
    return secret(key);
  }

  private static SecretVersion versionBefore(List<SecretVersion> history, String fromId, String key,
      BackendSlot slot) {
    int from = -1;
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).id().equals(fromId)) {
        from = i;
        break;
      }
    }
    if (from >= 0) {
      for (int i = from + 1; i < history.size(); i++) {
        if (history.get(i).state().servable()) {
          return history.get(i);
        }
      }
    }
    throw new SecretNotFoundException(key, "A live version before " + fromId + " of '" + key + "'",
        List.of(slot.description));
  }

  @Override
  public void refresh() {
    ensureOpen();
    invalidateVersions();
    Map<BackendSlot, List<CacheEntry>> bySlot = new LinkedHashMap<>();
    for (CacheEntry e : servedMap.values()) {
      if (e.kind == CacheEntry.Kind.NOT_FOUND) {
        servedMap.remove(e.key, e);
      } else {
        bySlot.computeIfAbsent(e.slot, s -> new ArrayList<>()).add(e);
      }
    }
    for (List<CacheEntry> batch : bySlot.values()) {
      scheduler.execute(() -> refreshEntries(batch));
    }
  }

  @Override
  public void refresh(String key) {
    Keys.requireValid(key);
    ensureOpen();
    CacheEntry current = servedMap.get(key);
    if (current == null) {
      entry(key);
      return;
    }
    refreshEntries(List.of(current));
  }

  // ---------------------------------------------------------------- listeners

  @Override
  public AutoCloseable onRotation(String key, SecretRotationListener listener) {
    Keys.requireValid(key);
    Objects.requireNonNull(listener, "listener");
    List<SecretRotationListener> list = keyListeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
    list.add(listener);
    return () -> list.remove(listener);
  }

  @Override
  public AutoCloseable onRotation(SecretRotationListener listener) {
    Objects.requireNonNull(listener, "listener");
    globalListeners.add(listener);
    return () -> globalListeners.remove(listener);
  }

  private void fireIfChanged(CacheEntry prev, CacheEntry next) {
    Secret before = prev == null ? null : prev.secret;
    Secret after = next.kind == CacheEntry.Kind.VALUE ? next.secret : null;
    if (before == null || after == null || before == after) {
      return;
    }
    if (before.version().id().equals(after.version().id()) && before.value().equals(after.value())) {
      return;
    }
    SecretRotation rotation = new SecretRotation(next.key, before, after);
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' changed: version {1} -> {2} ({3})", next.key,
        before.version().id(), after.version().id(), after.backend());
    List<SecretRotationListener> forKey = keyListeners.getOrDefault(next.key, List.of());
    for (SecretRotationListener l : forKey) {
      notifyListener(l, rotation);
    }
    for (SecretRotationListener l : globalListeners) {
      notifyListener(l, rotation);
    }
    for (SecretsListener l : listeners) {
      try {
        l.onRotation(rotation);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  private static void notifyListener(SecretRotationListener l, SecretRotation rotation) {
    try {
      l.onRotation(rotation);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
  }

  private static void listenerFailed(RuntimeException ex) {
    // the listener is user code: its message is not ours to vet, so only its type is logged
    LOG.log(System.Logger.Level.WARNING, "A secrets listener threw " + ex.getClass().getName()
        + "; other listeners were still notified");
  }

  private void lookup(String key, String backend, SecretsListener.Outcome outcome, long startedNanos) {
    audit(key, backend, outcome.name().toLowerCase(java.util.Locale.ROOT));
    if (listeners.isEmpty()) {
      return;
    }
    Duration elapsed = Duration.ofNanos(Math.max(0, System.nanoTime() - startedNanos));
    for (SecretsListener l : listeners) {
      try {
        l.onLookup(key, backend, outcome, elapsed);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  private static void audit(String key, String backend, String outcome) {
    if (AUDIT.isLoggable(System.Logger.Level.DEBUG)) {
      AUDIT.log(System.Logger.Level.DEBUG, "lookup key={0} backend={1} outcome={2}", key, backend, outcome);
    }
  }

  private void backendFailed(BackendSlot slot, SecretsException err) {
    slot.failed(clock.instant(), err);
    for (SecretsListener l : listeners) {
      try {
        l.onBackendFailure(slot.id, err);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  // ---------------------------------------------------------------- reports

  @Override
  public ValidationReport validate() {
    ensureOpen();
    prefetch(required);
    List<ValidationReport.Problem> problems = new ArrayList<>();
    for (String key : required) {
      CacheEntry e = entry(key);
      if (e.kind != CacheEntry.Kind.VALUE) {
        Map<String, String> reasons = new LinkedHashMap<>(e.reasons);
        if (reasons.isEmpty() && e.error != null) {
          reasons.put(e.error instanceof org.nexusreussite.secrets.BackendException be ? be.backendId() : "?",
              reasonOf(e.error));
        }
        problems.add(new ValidationReport.Problem(key, reasons));
      }
    }
    return new ValidationReport(profile, List.copyOf(required), searchOrder, problems);
  }

  /**
   * Loads the keys not cached yet in one pass over the backends, so a backend that serves many keys per
   * request (a Vault path, an AWS JSON secret) answers the start-up check with one request, not one per key.
   */
  private void prefetch(Set<String> keys) {
    List<String> cold = new ArrayList<>();
    for (String key : keys) {
      if (!servedMap.containsKey(key) && !pins.containsKey(key)) {
        cold.add(key);
      }
    }
    if (cold.size() < 2) {
      return;
    }
    Map<String, Outcome> outcomes = resolveMany(cold);
    Instant now = clock.instant();
    for (String key : cold) {
      CacheEntry loaded = toEntry(key, VersionSelector.latest(), outcomes.get(key), null, now);
      if (servedMap.putIfAbsent(key, loaded) == null && loaded.scheduled.compareAndSet(false, true)) {
        scheduleNext(loaded);
      }
    }
  }

  @Override
  public SecretExplanation explain(String key) {
    CacheEntry e = entry(key);
    SecretExplanation.CacheState state = switch (e.kind) {
      case VALUE -> e.stale() ? SecretExplanation.CacheState.STALE : SecretExplanation.CacheState.FRESH;
      case NOT_FOUND -> SecretExplanation.CacheState.NOT_FOUND;
      case FAILED -> SecretExplanation.CacheState.FAILED;
    };
    VersionSelector pin = pins.get(key);
    return new SecretExplanation(key, state, e.secret, e.refreshDue, pin == null ? null : pin.describe(),
        e.error == null ? null : e.error.getMessage());
  }

  @Override
  public ResolverDescription describe() {
    return new ResolverDescription(profile, descriptions, List.copyOf(required), pins(), refreshInterval, maxStale,
        negativeTtl, warnings);
  }

  @Override
  public List<BackendHealth> health() {
    List<BackendHealth> out = new ArrayList<>();
    for (BackendSlot slot : slots) {
      BackendHealth.Status status;
      String detail;
      if (slot.lastSuccess() == null && slot.lastFailure() == null) {
        // nothing asked yet: the backend's own probe is the only evidence there is
        out.add(probe(slot));
        continue;
      } else if (!slot.failing()) {
        status = BackendHealth.Status.UP;
        detail = "answering";
      } else {
        boolean anyStale = false;
        boolean anyFailed = false;
        for (CacheEntry e : servedMap.values()) {
          if (e.slot == slot) {
            anyStale |= e.stale();
            anyFailed |= e.kind == CacheEntry.Kind.FAILED;
          }
        }
        if (anyStale && !anyFailed) {
          status = BackendHealth.Status.DEGRADED;
          detail = "failing; serving cached values up to " + Durations.format(maxStale) + " old";
        } else {
          status = BackendHealth.Status.DOWN;
          detail = "failing; no cached value left to serve";
        }
      }
      out.add(BackendHealth.of(slot.id, status, detail, slot.lastSuccess(), slot.lastFailure(), slot.lastError()));
    }
    return out;
  }

  private static BackendHealth probe(BackendSlot slot) {
    try {
      BackendHealth probed = slot.backend.health();
      if (probed != null && probed.status() != BackendHealth.Status.UNKNOWN) {
        return BackendHealth.of(slot.id, probed.status(), "not asked yet; probe: " + probed.detail(),
            probed.lastSuccess().orElse(null), probed.lastFailure().orElse(null), probed.lastError().orElse(null));
      }
    } catch (RuntimeException ex) {
      return BackendHealth.of(slot.id, BackendHealth.Status.DOWN, "not asked yet; probe failed with "
          + ex.getClass().getName(), null, null, null);
    }
    return BackendHealth.of(slot.id, BackendHealth.Status.UNKNOWN, "not asked yet", null, null, null);
  }

  @Override
  public Map<String, Set<String>> listKeys() {
    ensureOpen();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (BackendSlot slot : slots) {
      if (slot.backend.capabilities().contains(Capability.LISTING)) {
        try {
          out.put(slot.id, Collections.unmodifiableSet(new java.util.TreeSet<>(slot.backend.keys())));
        } catch (RuntimeException ex) {
          throw asSecretsException(slot, ex);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  // ---------------------------------------------------------------- lifecycle

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("This SecretResolver is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CacheEntry e : servedMap.values()) {
      e.cancelTask();
    }
    served.invalidateAll();
    if (ownedScheduler != null) {
      try {
        ownedScheduler.close();
      } catch (Exception ex) {
        LOG.log(System.Logger.Level.WARNING, "Could not stop the refresh scheduler: " + ex.getClass().getName());
      }
    }
    for (BackendSlot slot : slots) {
      try {
        slot.backend.close();
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "Backend ''{0}'' failed to close: {1}", slot.id,
            ex.getClass().getName());
      }
    }
  }

  @Override
  public String toString() {
    return "SecretResolver[profile=" + profile.name() + ", backends=" + searchOrder + "]";
  }
}
