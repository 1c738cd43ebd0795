package org.nexusreussite.secrets.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretAdmin;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.VersionSelector;

/**
 * Versions, pins, rollback and forced refresh: the resolver's {@link SecretAdmin}.
 *
 * <p>Concurrency: pin, unpin and both rollbacks hold one lock per resolver ({@code admin}) from reading
 * what is served to writing the new entry, so two of them never act on the same stale view (two
 * concurrent rollbacks step back two versions, not one twice: found by the Lincheck test), and
 * {@link #pins()} takes it too, so it never shows a pin whose value is not served yet. They are
 * operator actions, rare, and may wait on a store while holding it; reads, refreshes and reports never
 * take it. Each change goes through the resolver's single entry-writing path ({@code apply}, a compute on
 * the cache's map) and then tells the listeners, so a pin racing with a scheduled refresh leaves one
 * winner and one rotation per change. Older versions read on request are kept in their own small cache,
 * built on first use. Writes are {@link SecretWrites}' and take the same lock.
 */
final class ResolverAdmin implements SecretAdmin {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");
  private static final int VERSIONS_KEPT = 1_000;

  private record VersionedKey(String key, VersionSelector selector) {}

  private final CompositeSecretResolver r;
  private volatile @Nullable Cache<VersionedKey, Secret> versioned;
  private final Object admin = new Object();

  ResolverAdmin(CompositeSecretResolver resolver) {
    this.r = resolver;
  }

  /** A version of a key from the backend that serves it now, cached for a refresh interval. */
  Secret version(String key, VersionSelector version) {
    BackendSlot slot = servingSlot(key);
    Secret s = versioned().get(new VersionedKey(key, version), vk -> r.chain.version(slot, key, version));
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
          cache = Caffeine.newBuilder().maximumSize(VERSIONS_KEPT).expireAfterWrite(r.policy.refreshInterval)
              .build();
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

  private BackendSlot servingSlot(String key) {
    CacheEntry e = r.entry(key);
    BackendSlot slot = e.slot;
    if (slot == null) {
      throw r.notFound(e);
    }
    return slot;
  }

  @Override
  public List<SecretVersion> versions(String key) {
    BackendSlot slot = servingSlot(key);
    try {
      return List.copyOf(slot.backend.versions(key));
    } catch (RuntimeException ex) {
      throw BackendChain.asSecretsException(slot, ex);
    }
  }

  @Override
  public Secret pin(String key, String versionId) {
    synchronized (admin) {
      return pinLocked(key, versionId);
    }
  }

  private Secret pinLocked(String key, String versionId) {
    Keys.requireValid(key);
    VersionSelector selector = VersionSelector.parse(Objects.requireNonNull(versionId, "versionId"));
    if (selector instanceof VersionSelector.Latest) {
      unpinLocked(key);
      return r.secret(key);
    }
    BackendSlot slot = servingSlot(key);
    Secret s = version(key, selector);
    r.pins.put(key, selector);
    apply(key, selector, Outcome.found(s, slot, 0));
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' pinned to version {1} of {2}", key,
        selector.describe(), slot.id);
    return s;
  }

  @Override
  public void unpin(String key) {
    synchronized (admin) {
      unpinLocked(key);
    }
  }

  private void unpinLocked(String key) {
    Keys.requireValid(key);
    if (r.pins.remove(key) == null) {
      return;
    }
    apply(key, VersionSelector.latest(), Outcome.of(r.chain.latest(List.of(key), false), key));
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' unpinned: serving the latest version", key);
  }

  private void apply(String key, VersionSelector selector, Outcome outcome) {
    List<SecretRotation> rotations = new ArrayList<>();
    r.apply(key, selector, outcome, true, rotations);
    r.notifications.rotated(rotations, r::readGroup);
  }

  @Override
  public Map<String, String> pins() {
    // under the admin lock: a pin is recorded before its entry is written, and a report must not show a
    // pin whose value readers do not see yet (found by the Lincheck test)
    synchronized (admin) {
      Map<String, String> out = new LinkedHashMap<>();
      r.pins.forEach((k, v) -> out.put(k, v.describe()));
      return Collections.unmodifiableMap(out);
    }
  }

  @Override
  public Secret rollback(String key, RollbackScope scope) {
    synchronized (admin) {
      return rollbackLocked(key, scope);
    }
  }

  private Secret rollbackLocked(String key, RollbackScope scope) {
    Objects.requireNonNull(scope, "scope");
    CacheEntry e = r.entry(key);
    Secret served = r.secretOf(e);
    BackendSlot slot = Objects.requireNonNull(e.slot, "a served entry has its backend");
    List<SecretVersion> history = versions(key);
    if (scope == RollbackScope.LOCAL) {
      return pinLocked(key, versionBefore(history, served.version().id(), key, slot).id());
    }
    String currentId = history.stream().filter(SecretVersion::current).map(SecretVersion::id).findFirst()
        .orElse(history.isEmpty() ? served.version().id() : history.get(0).id());
    SecretVersion target = versionBefore(history, currentId, key, slot);
    try {
      slot.backend.rollback(key, target);
    } catch (RuntimeException ex) {
      throw BackendChain.asSecretsException(slot, ex);
    }
    LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' rolled back in {1} to the value of version {2}", key,
        slot.id, target.id());
    invalidateVersions();
    if (r.pins.remove(key) != null) {
      LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' unpinned by the backend rollback", key);
    }
    apply(key, VersionSelector.latest(), Outcome.of(r.chain.latest(List.of(key), false), key));
    return r.secret(key);
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
  public SecretWrite write(String key, SecretValue value, WriteOptions options) {
    Keys.requireValid(key);
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    r.ensureOpen();
    synchronized (admin) {
      try {
        return new SecretWrites(r).write(key, value, options);
      } finally {
        // also after a conflict or a refused verification: what is current in the store may have changed
        invalidateVersions();
        VersionSelector pin = r.pins.get(key);
        if (pin != null) {
          LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' stays pinned to {1} after the write; unpin it to "
              + "serve the latest version", key, pin.describe());
        } else if (r.servedMap.containsKey(key)) {
          apply(key, VersionSelector.latest(), Outcome.of(r.chain.latest(List.of(key), false), key));
        }
      }
    }
  }

  @Override
  public CompletableFuture<Void> refresh() {
    r.ensureOpen();
    invalidateVersions();
    return r.refresher.refreshAll();
  }

  @Override
  public void refresh(String key) {
    Keys.requireValid(key);
    r.ensureOpen();
    CacheEntry current = r.servedMap.get(key);
    if (current == null) {
      r.entry(key);
      return;
    }
    r.refresh(List.of(current));
  }
}
