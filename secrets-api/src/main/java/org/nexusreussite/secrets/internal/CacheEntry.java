package org.nexusreussite.secrets.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * What the resolver serves for one key. Immutable but for the handle of its scheduled task. The read path
 * touches only {@link #value}: non-null exactly when the entry can be served.
 */
final class CacheEntry {
  enum Kind {
    /** A value, fresh or stale ({@link #error} non-null while refreshes fail). */
    VALUE,
    /** No backend holds the key; removed after the negative TTL. */
    NOT_FOUND,
    /** A backend failed and nothing can be served ({@link #secret} may hold the last good one). */
    FAILED
  }

  final String key;
  final Kind kind;
  final String value;
  final Secret secret;
  final BackendSlot slot;
  final VersionSelector selector;
  final SecretsException error;
  final Map<String, String> reasons;
  final List<String> searched;
  final int failures;
  final Instant refreshDue;
  final java.util.concurrent.atomic.AtomicBoolean scheduled = new java.util.concurrent.atomic.AtomicBoolean();
  /** Claimed by the scheduled refresh batch that will replace this entry, so no second batch asks again. */
  final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();
  volatile TaskScheduler.Cancellable task;

  private CacheEntry(String key, Kind kind, Secret secret, BackendSlot slot, VersionSelector selector,
      SecretsException error, Map<String, String> reasons, List<String> searched, int failures,
      Instant refreshDue) {
    this.key = key;
    this.kind = kind;
    this.secret = secret;
    this.value = kind == Kind.VALUE ? secret.value().reveal() : null;
    this.slot = slot;
    this.selector = selector;
    this.error = error;
    this.reasons = reasons;
    this.searched = searched;
    this.failures = failures;
    this.refreshDue = refreshDue;
  }

  static CacheEntry value(Secret secret, BackendSlot slot, VersionSelector selector, Instant refreshDue) {
    return new CacheEntry(secret.key(), Kind.VALUE, secret, slot, selector, null, Map.of(), List.of(), 0,
        refreshDue);
  }

  static CacheEntry stale(CacheEntry previous, SecretsException error, Instant retryAt) {
    return new CacheEntry(previous.key, Kind.VALUE, previous.secret, previous.slot, previous.selector, error,
        previous.reasons, previous.searched, previous.failures + 1, retryAt);
  }

  static CacheEntry notFound(String key, VersionSelector selector, Map<String, String> reasons,
      List<String> searched, Instant expiresAt) {
    return new CacheEntry(key, Kind.NOT_FOUND, null, null, selector, null, ordered(reasons),
        List.copyOf(searched), 0, expiresAt);
  }

  static CacheEntry failed(String key, Secret lastGood, BackendSlot slot, VersionSelector selector,
      SecretsException error, Map<String, String> reasons, List<String> searched, int failures, Instant retryAt) {
    return new CacheEntry(key, Kind.FAILED, lastGood, slot, selector, error, ordered(reasons),
        List.copyOf(searched), failures, retryAt);
  }

  boolean stale() {
    return kind == Kind.VALUE && error != null;
  }

  boolean pinned() {
    return !(selector instanceof VersionSelector.Latest);
  }

  void cancelTask() {
    TaskScheduler.Cancellable t = task;
    if (t != null) {
      t.cancel();
    }
  }

  @Override
  public String toString() {
    return "CacheEntry[" + key + " " + kind + (secret == null ? "" : " " + secret.version().id()) + "]";
  }

  /** A copy that keeps the search order, which reports print (Map.copyOf would shuffle it). */
  private static Map<String, String> ordered(Map<String, String> reasons) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }
}
